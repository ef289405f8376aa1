package dev.privacykit.server.http;

import static dev.privacykit.javalin.PrivacyPlugin.PUBLIC;
import static dev.privacykit.server.http.Json.object;

import dev.privacykit.javalin.ProblemException;
import dev.privacykit.policies.DataCategory;
import dev.privacykit.policies.Notice;
import dev.privacykit.policies.NoticeText;
import dev.privacykit.policies.NoticeVersion;
import dev.privacykit.policies.PolicySet;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/notices/{notice}/{version}}: one notice version as the person is shown it, with
 * the SHA-256 of each exact text (DPDP s.5, Rule 3; GDPR Art. 12, 13).
 *
 * <p>Public, without a token: a notice is shown before any account (and so any token) exists, and
 * it is the policy's own published text. The answer is built from the loaded policy only (never
 * from storage, a tenant or a person), so it reveals nothing but the policy's notices; it is
 * limited per address like every request without a token, and carries {@code ETag} (the SHA-256 of
 * the answer) and {@code Cache-Control: public} so browsers and proxies re-use it.
 */
final class NoticeRoutes {
  /** How long a cache may re-use an answer: a published version's content does not change. */
  static final String CACHE_CONTROL = "public, max-age=300";

  private final PolicySet policy;

  private NoticeRoutes(PolicySet policy) {
    this.policy = policy;
  }

  static void mount(JavalinConfig config, PolicySet policy) {
    NoticeRoutes routes = new NoticeRoutes(policy);
    config.routes.get("/v1/notices/{notice}/{version}", routes::version, PUBLIC);
  }

  private void version(Context ctx) throws Exception {
    String id = Fields.path(ctx, "notice");
    Notice notice =
        policy
            .notice(id)
            .orElseThrow(
                () ->
                    new ProblemException(
                        404, "unknown-notice", "Unknown notice", "the policy has no such notice"));
    String number = Fields.path(ctx, "version");
    NoticeVersion version =
        (number.matches("[1-9][0-9]{0,6}")
                ? notice.version(Integer.parseInt(number))
                : java.util.Optional.<NoticeVersion>empty())
            .orElseThrow(
                () ->
                    new ProblemException(
                        404,
                        "unknown-notice-version",
                        "Unknown notice version",
                        "the notice has no such version"));
    String language = Fields.query(ctx, "language", 35);
    if (language != null && !version.languages().contains(language)) {
      throw new ProblemException(
              404,
              "unknown-language",
              "Unknown language",
              "this notice version is not published in that language")
          .withPointer("?language");
    }
    Map<String, Object> texts = new LinkedHashMap<>();
    version.texts().entrySet().stream()
        .filter(e -> language == null || e.getKey().equals(language))
        .forEach(e -> texts.put(e.getKey(), text(e.getValue())));
    Map<String, Object> body =
        object(
            "notice", notice.id(),
            "version", version.version(),
            "published", version.published().toString(),
            "material", version.material(),
            "languages", language == null ? version.languages() : java.util.List.of(language),
            "items",
                Json.list(
                    version.items(),
                    item ->
                        object(
                            "data", item.data(),
                            "title",
                                policy
                                    .category(item.data())
                                    .map(DataCategory::title)
                                    .orElse(item.data()),
                            "purpose", item.purpose())),
            "services", version.services(),
            "links",
                object(
                    "withdraw", url(version.links().withdraw()),
                    "rights", url(version.links().rights()),
                    "complaint", url(version.links().complaint())),
            "texts", texts);
    String json = Json.MAPPER.writeValueAsString(body);
    String etag = "\"" + NoticeText.sha256(json) + "\"";
    ctx.header("ETag", etag);
    ctx.header("Cache-Control", CACHE_CONTROL);
    if (etag.equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.status(200).contentType("application/json").result(json);
  }

  private static Map<String, Object> text(NoticeText text) {
    return object("text", text.text(), "sha256", text.sha256());
  }

  private static String url(URI uri) {
    return uri == null ? null : uri.toString();
  }
}
