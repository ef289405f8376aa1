package dev.privacykit.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.privacykit.policies.ConsentLookup;
import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.DecisionEngine;
import dev.privacykit.policies.DecisionRequest;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.ReasonCode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RemoteConsentLookupTest {

  @Test
  void answers_areCachedBriefly_andFailuresFailClosed() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicReference<String> mode = new AtomicReference<>("ok");
    AtomicReference<String> authorization = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/subjects/",
        exchange -> {
          calls.incrementAndGet();
          authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
          try {
            switch (mode.get()) {
              case "slow" -> Thread.sleep(1_000);
              case "error" -> {
                exchange.sendResponseHeaders(500, -1);
                exchange.close();
                return;
              }
              case "none" -> {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
              }
              default -> {}
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body =
              "{\"state\":\"GIVEN\",\"notice_version\":2,\"changed_at\":\"2026-11-01T00:00:00Z\",\"expires_at\":null,\"explicit\":true,\"gpc_opt_out_at\":null}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      RemoteConsentLookup lookup =
          RemoteConsentLookup.create(
              base, tenant -> "token-for-" + tenant, Duration.ofMillis(300), Duration.ofSeconds(5));
      assertThat(lookup.lookup("acme", "subj 1", "email_marketing").state())
          .isEqualTo(ConsentState.GIVEN);
      assertThat(lookup.lookup("acme", "subj 1", "email_marketing").noticeVersion()).isEqualTo(2);
      assertThat(calls.get()).isEqualTo(1);
      assertThat(authorization.get()).isEqualTo("Bearer token-for-acme");

      RemoteConsentLookup uncached =
          RemoteConsentLookup.create(base, tenant -> "t", Duration.ofMillis(300), Duration.ZERO);
      mode.set("none");
      assertThat(uncached.lookup("acme", "s", "p").state()).isEqualTo(ConsentState.NONE);
      mode.set("error");
      assertThatThrownBy(() -> uncached.lookup("acme", "s", "p"))
          .isInstanceOf(ConsentLookup.ConsentLookupException.class)
          .hasMessage("the consent service answered HTTP 500");
      mode.set("slow");
      assertThatThrownBy(() -> uncached.lookup("acme", "s", "p"))
          .hasMessage("the consent service did not answer in time");
      DecisionEngine engine = new DecisionEngine(PolicyPacks.gdpr(), uncached);
      assertThat(
              engine.decide(DecisionRequest.of("acme", "s", "email_marketing", Set.of())).reason())
          .isEqualTo(ReasonCode.CONSENT_UNAVAILABLE);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aHoldInTheAnswer_denies_andATamperedHoldFailsClosed() throws Exception {
    AtomicReference<String> hold = new AtomicReference<>();
    HttpServer server =
        answering(
            () ->
                "{\"state\":\"NONE\",\"notice_version\":0,\"changed_at\":null,\"expires_at\":null,"
                    + "\"explicit\":false,\"gpc_opt_out_at\":null,\"hold\":"
                    + hold.get()
                    + "}");
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      RemoteConsentLookup lookup =
          RemoteConsentLookup.create(base, tenant -> "t", Duration.ofMillis(500), Duration.ZERO);
      DecisionEngine engine = new DecisionEngine(PolicyPacks.gdpr(), lookup);
      DecisionRequest request = DecisionRequest.of("acme", "s", "bookkeeping", Set.of());
      hold.set("{\"kind\":\"restriction\",\"since\":\"2026-01-01T00:00:00Z\",\"lifts_at\":null}");
      assertThat(engine.decide(request).reason()).isEqualTo(ReasonCode.PROCESSING_RESTRICTED);
      hold.set("null");
      assertThat(engine.decide(request).reason()).isEqualTo(ReasonCode.LAWFUL_BASIS);
      for (String tampered :
          new String[] {
            "{\"kind\":\"suspended\",\"since\":\"2026-01-01T00:00:00Z\"}",
            "{\"kind\":\"objection\",\"since\":\"yesterday\"}",
            "{\"kind\":\"objection\"}"
          }) {
        hold.set(tampered);
        assertThatThrownBy(() -> lookup.lookup("acme", "s", "bookkeeping"))
            .as(tampered)
            .isInstanceOf(ConsentLookup.ConsentLookupException.class)
            .hasMessage("the consent service answered something that is not a consent");
        assertThat(engine.decide(request).reason()).isEqualTo(ReasonCode.CONSENT_UNAVAILABLE);
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aChildInTheAnswer_isNeverTargeted_andATamperedGuardianshipFailsClosed() throws Exception {
    AtomicReference<String> guardianship = new AtomicReference<>();
    HttpServer server =
        answering(
            () ->
                "{\"state\":\"GIVEN\",\"notice_version\":2,"
                    + "\"changed_at\":\"2026-06-02T00:00:00Z\",\"expires_at\":null,"
                    + "\"explicit\":true,\"gpc_opt_out_at\":null,\"hold\":null,"
                    + "\"guardianship\":"
                    + guardianship.get()
                    + "}");
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      RemoteConsentLookup lookup =
          RemoteConsentLookup.create(base, tenant -> "t", Duration.ofMillis(500), Duration.ZERO);
      DecisionEngine engine = new DecisionEngine(PolicyPacks.gdpr(), lookup);
      DecisionRequest ads = DecisionRequest.of("acme", "s", "targeted_advertising", Set.of());
      DecisionRequest mail = DecisionRequest.of("acme", "s", "email_marketing", Set.of());
      guardianship.set("null");
      assertThat(engine.decide(ads).reason()).isEqualTo(ReasonCode.CONSENT_VALID);
      guardianship.set("{\"kind\":\"child\",\"consent_by_guardian\":true}");
      assertThat(engine.decide(ads).reason()).isEqualTo(ReasonCode.CHILD_TRACKING_OR_ADVERTISING);
      assertThat(engine.decide(mail).reason()).isEqualTo(ReasonCode.CONSENT_VALID);
      guardianship.set("{\"kind\":\"child\",\"consent_by_guardian\":false}");
      assertThat(engine.decide(mail).reason()).isEqualTo(ReasonCode.GUARDIAN_CONSENT_REQUIRED);
      for (String tampered :
          new String[] {
            "{\"kind\":\"teenager\",\"consent_by_guardian\":true}",
            "{\"kind\":\"child\",\"consent_by_guardian\":\"yes\"}",
            "{\"kind\":\"child\"}"
          }) {
        guardianship.set(tampered);
        assertThat(engine.decide(mail).reason())
            .as(tampered)
            .isEqualTo(ReasonCode.CONSENT_UNAVAILABLE);
      }
    } finally {
      server.stop(0);
    }
  }

  /** A consent service that answers every lookup 200 with {@code body}'s current text. */
  private static HttpServer answering(java.util.function.Supplier<String> body) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/subjects/",
        exchange -> {
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }
}
