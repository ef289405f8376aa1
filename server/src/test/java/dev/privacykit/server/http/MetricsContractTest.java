package dev.privacykit.server.http;

import static dev.privacykit.server.http.ServiceApiTest.mint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privacykit.server.Scopes;
import dev.privacykit.server.ServerConfig;
import dev.privacykit.server.http.ServiceApiTest.Client;
import dev.privacykit.storage.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the Grafana dashboard and the Prometheus alert rules query (and every exact label
 * value they match) exists in a live service's scrape: renaming a metric breaks this test, not a
 * dashboard nobody looks at until the night it matters.
 */
class MetricsContractTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Pattern NAME =
      Pattern.compile("\\b((?:privacykit|jvm|process|system)_[a-z0-9_]+)(\\{[^}]*\\})?");
  private static final Pattern EXACT_LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

  @TempDir Path dir;

  @Test
  void everyQueriedMetricExistsInALiveScrape() throws Exception {
    List<String> queries = new ArrayList<>();
    Matcher expr =
        Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"")
            .matcher(Files.readString(DEPLOY.resolve("grafana/privacykit.json")));
    while (expr.find()) {
      queries.add(expr.group(1).replace("\\\"", "\""));
    }
    for (String line : Files.readAllLines(DEPLOY.resolve("prometheus/alerts.yml"))) {
      if (line.strip().startsWith("expr:")) {
        queries.add(line.strip().substring(5));
      }
    }
    assertThat(queries).hasSizeGreaterThan(20);

    try (Database db = Database.open(Database.inMemoryUrl("metrics_contract"));
        PrivacyKitServer server =
            PrivacyKitServer.start(new ServerConfig("127.0.0.1", 0, dir, null), db)) {
      Client api =
          new Client(
              server,
              new OpenApiContract(OpenApi.document()),
              mint(dir, "acme", "backend", Scopes.ADMIN));
      // some state for the privacy gauges to show
      api.post(
          "/v1/subjects/{subject}/consents/{purpose}/{action}",
          "/v1/subjects/s1/consents/email_marketing/give",
          "{\"notice_version\":2,\"language\":\"en\"}");
      api.post(
          "/v1/requests",
          "/v1/requests",
          "{\"subject\":\"s1\",\"type\":\"access\",\"identity_verified\":true}");
      api.post("/v1/audit/verify", "/v1/audit/verify", null);
      api.get("/v1/audit/checkpoint", "/v1/audit/checkpoint");
      String scrape =
          api.as(mint(dir, "acme", "prometheus", Scopes.METRICS_READ))
              .get("/metrics", "/metrics")
              .text();

      Set<String> missing = new LinkedHashSet<>();
      for (String query : queries) {
        Matcher m = NAME.matcher(query);
        while (m.find()) {
          String name = m.group(1);
          List<String> lines =
              scrape
                  .lines()
                  .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                  .toList();
          if (lines.isEmpty()) {
            missing.add(name);
            continue;
          }
          if (m.group(2) != null) {
            Matcher label = EXACT_LABEL.matcher(m.group(2));
            while (label.find()) {
              String wanted = label.group(1) + "=\"" + label.group(2) + "\"";
              if (lines.stream().noneMatch(l -> l.contains(wanted))) {
                missing.add(name + "{" + wanted + "}");
              }
            }
          }
        }
      }
      assertThat(missing).as("queried by deploy/ but not in the scrape").isEmpty();
    }
  }
}
