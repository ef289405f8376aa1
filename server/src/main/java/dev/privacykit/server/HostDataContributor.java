package dev.privacykit.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privacykit.consent.Contribution;
import dev.privacykit.consent.RequestType;
import dev.privacykit.consent.SubjectDataContributor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Asks a tenant's host backend, at the URL the operator configured for that tenant, for a subject's
 * data: {@code POST} of {@code {"tenant","subject","type"}} signed {@code PrivacyKit-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>} (the webhooks' scheme, so {@code
 * Webhooks.verifySignature} checks it), answered by {@code
 * {"sections":[{"name","columns":[...],"rows":[[...]]}]}}. Redirects are not followed; the whole
 * answer must arrive within the timeout and stay under the size cap. Any failure is {@link
 * SubjectDataContributor.Unavailable} with {@code timeout}, {@code too_large}, {@code unreachable},
 * {@code status_<code>} or {@code invalid_answer}, so the package says the section is missing.
 * Thread-safe.
 */
final class HostDataContributor implements SubjectDataContributor {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HostDataSettings settings;
  private final HttpClient http;

  HostDataContributor(HostDataSettings settings) {
    this.settings = settings;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(settings.timeout())
            .build();
  }

  @Override
  public String name() {
    return "host";
  }

  @Override
  public boolean appliesTo(String tenant) {
    return settings.urls().containsKey(tenant);
  }

  @Override
  public Contribution contribute(String tenant, String subject, RequestType type) {
    URI url = settings.urls().get(tenant);
    if (url == null) {
      return Contribution.of();
    }
    String body =
        MAPPER
            .createObjectNode()
            .put("tenant", tenant)
            .put("subject", subject)
            .put("type", type.name().toLowerCase(Locale.ROOT))
            .toString();
    long t = Instant.now().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("PrivacyKit-Signature", "t=" + t + ",v1=" + hmac(t + "." + body))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    CompletableFuture<HttpResponse<byte[]>> call =
        http.sendAsync(request, info -> new CappedBody(settings.maxBytes()));
    HttpResponse<byte[]> response;
    try {
      response = call.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new Unavailable("timeout");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TooLarge) {
        throw new Unavailable("too_large");
      }
      if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
        throw new Unavailable("timeout");
      }
      throw new Unavailable("unreachable");
    }
    if (response.statusCode() != 200) {
      throw new Unavailable("status_" + response.statusCode());
    }
    try {
      return parse(MAPPER.readTree(response.body()));
    } catch (IOException | IllegalArgumentException e) {
      throw new Unavailable("invalid_answer");
    }
  }

  /** The answer's sections; anything not of the documented shape is an IllegalArgumentException. */
  static Contribution parse(JsonNode answer) {
    JsonNode sections = answer == null ? null : answer.get("sections");
    if (sections == null || !sections.isArray()) {
      throw new IllegalArgumentException("no sections");
    }
    List<Contribution.Section> out = new ArrayList<>();
    for (JsonNode section : sections) {
      List<String> columns = new ArrayList<>();
      section.path("columns").forEach(c -> columns.add(text(c)));
      List<List<String>> rows = new ArrayList<>();
      JsonNode rowNodes = section.path("rows");
      if (!section.path("name").isTextual() || !rowNodes.isArray()) {
        throw new IllegalArgumentException("a section needs a name and rows");
      }
      for (JsonNode row : rowNodes) {
        if (!row.isArray()) {
          throw new IllegalArgumentException("a row is a list of cells");
        }
        List<String> cells = new ArrayList<>();
        row.forEach(cell -> cells.add(cell.isNull() ? null : text(cell)));
        rows.add(cells);
      }
      out.add(Contribution.Section.of(section.get("name").asText(), columns, rows));
    }
    return new Contribution(out);
  }

  private static String text(JsonNode node) {
    if (!node.isValueNode()) {
      throw new IllegalArgumentException("cells and column names are text, numbers or booleans");
    }
    return node.asText();
  }

  private String hmac(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(settings.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /** The answer grew past the cap. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("answer too large");
    }
  }

  /** Collects the body, failing with {@link TooLarge} as soon as it passes the cap. */
  static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int cap;
    private Flow.Subscription subscription;

    CappedBody(int cap) {
      this.cap = cap;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        if (result.isDone()) {
          return;
        }
        if (bytes.size() + item.remaining() > cap) {
          result.completeExceptionally(new TooLarge());
          subscription.cancel();
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }
}
