package dev.privacykit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privacykit.policies.ConsentState;
import dev.privacykit.policies.PolicyLoader;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.storage.Database;
import dev.privacykit.storage.testing.DatabaseTest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Consent Managers (DPDP Act s.6(7)-(9), Rules 2025 rule 4) on H2 and PostgreSQL: registration,
 * artefacts verified and recorded, refused as an attacker would try them, and changes sent back.
 */
class ConsentManagersTest {
  private static final PolicySet DPDP = PolicyPacks.dpdp();

  private static String tenant() {
    return "t_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void assertRefused(ThrowingCallable call, ConsentException.Kind kind) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ConsentException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  private static long count(Database db, String table, String tenant) {
    return dev.privacykit.storage.spi.Jdbis.of(db)
        .withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE tenant = :t")
                    .bind("t", tenant)
                    .mapTo(Long.class)
                    .one());
  }

  @DatabaseTest
  void artefact_isVerifiedRecordedPerPurposeAndKeptAsEvidence(Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP))) {
      ConsentManagers managers = ConsentManagers.open(db, c -> c.ledger(ledger).policy(DPDP));
      String tenant = tenant();
      ManagerKeys keys = new ManagerKeys("k1");
      managers.register(tenant, "cm-one", "CM/2026/1", "One Consent", keys.jwks(), null);
      String jws =
          keys.sign(
              ManagerKeys.claims(
                  "cm-one", tenant, "alice", "give", List.of("account", "usage_analytics")));

      ConsentManagers.Applied applied = managers.submit(tenant, "cm-one", jws);

      assertThat(applied.events()).hasSize(2);
      ConsentEvent event = applied.events().get(0);
      assertThat(event.method()).isEqualTo(ConsentMethod.CONSENT_MANAGER);
      assertThat(event.provenance().consentManager()).isEqualTo("cm-one");
      assertThat(event.provenance().artefact()).isEqualTo(applied.artefact().id());
      assertThat(event.noticeVersion()).isEqualTo(2);
      assertThat(event.language()).isEqualTo("hi");
      assertThat(ledger.current(tenant, "alice", "usage_analytics").state())
          .isEqualTo(ConsentState.GIVEN);
      assertThat(applied.artefact().jws()).isEqualTo(jws);
      assertThat(applied.artefact().sha256()).isEqualTo(ArtefactVerifier.sha256(jws));
      assertThat(applied.artefact().applied()).isTrue();
      assertThat(managers.artefacts(tenant, "alice")).hasSize(1);
      // the artefact is part of her access package
      SubjectDataContributor evidence = managers.evidence();
      assertThat(evidence.appliesTo(tenant)).isTrue();
      assertThat(evidence.appliesTo(tenant())).isFalse();
      Contribution.Section section =
          evidence.contribute(tenant, "alice", RequestType.ACCESS).sections().get(0);
      assertThat(section.name()).isEqualTo("consent_manager_artefacts");
      assertThat(section.rows()).hasSize(1);
      assertThat(section.rows().get(0)).contains(jws, ArtefactVerifier.sha256(jws));

      // the same artefact again, or another one with its jti: a replay, nothing recorded
      assertRefused(
          () -> managers.submit(tenant, "cm-one", jws), ConsentException.Kind.ARTEFACT_REPLAYED);
      assertThat(ledger.subjectHistory(tenant, "alice")).hasSize(2);
    }
  }

  @DatabaseTest
  void attackerArtefacts_areRefused_andStoreNothing(Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP))) {
      ConsentManagers managers = ConsentManagers.open(db, c -> c.ledger(ledger).policy(DPDP));
      String tenant = tenant();
      ManagerKeys keys = new ManagerKeys("k1");
      ManagerKeys other = new ManagerKeys("k9");
      managers.register(tenant, "cm-one", "CM/1", "One", keys.jwks(), null);
      managers.register(tenant, "cm-two", "CM/2", "Two", other.jwks(), null);
      var invalid = ConsentException.Kind.INVALID_ARTEFACT;
      Map<String, Object> good =
          ManagerKeys.claims("cm-one", tenant, "alice", "give", List.of("account"));

      // signed by another manager's key (its kid is not one of cm-one's)
      assertRefused(() -> managers.submit(tenant, "cm-one", other.sign(good)), invalid);
      // by an unregistered key carrying a registered kid
      assertRefused(
          () -> managers.submit(tenant, "cm-one", new ManagerKeys("k1").sign(good)), invalid);
      // for another tenant
      Map<String, Object> elsewhere = new java.util.HashMap<>(good);
      elsewhere.put("aud", "another-tenant");
      assertRefused(() -> managers.submit(tenant, "cm-one", keys.sign(elsewhere)), invalid);
      // iss of another manager
      Map<String, Object> iss = new java.util.HashMap<>(good);
      iss.put("iss", "cm-two");
      assertRefused(() -> managers.submit(tenant, "cm-one", keys.sign(iss)), invalid);
      // too old, and in the future
      Map<String, Object> old = new java.util.HashMap<>(good);
      old.put("iat", Instant.now().minusSeconds(11 * 60).getEpochSecond());
      assertRefused(() -> managers.submit(tenant, "cm-one", keys.sign(old)), invalid);
      Map<String, Object> future = new java.util.HashMap<>(good);
      future.put("iat", Instant.now().plusSeconds(6 * 60).getEpochSecond());
      assertRefused(() -> managers.submit(tenant, "cm-one", keys.sign(future)), invalid);
      // alg none and HS256 (keyed with the public key's bytes, the classic confusion)
      String[] parts = keys.sign(good).split("\\.");
      String none =
          Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
              + "."
              + parts[1]
              + ".";
      assertRefused(() -> managers.submit(tenant, "cm-one", none), invalid);
      assertRefused(
          () ->
              managers.submit(
                  tenant,
                  "cm-one",
                  ManagerKeys.hs256(good, "k1", keys.jwks().repeat(2).getBytes())),
          invalid);
      // a tampered payload
      String tampered =
          parts[0]
              + "."
              + Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString(
                      new String(Base64.getUrlDecoder().decode(parts[1]))
                          .replace("alice", "mallory")
                          .getBytes())
              + "."
              + parts[2];
      assertRefused(() -> managers.submit(tenant, "cm-one", tampered), invalid);
      // a jwk header, a key the artefact brings itself
      assertRefused(
          () ->
              managers.submit(
                  tenant, "cm-one", keys.sign(good, h -> h.jwk(keys.key.toPublicJWK()))),
          invalid);
      // an unknown purpose among valid ones: nothing recorded, not even the artefact
      Map<String, Object> mixed = new java.util.HashMap<>(good);
      mixed.put("purposes", List.of("account", "no_such_purpose"));
      assertRefused(
          () -> managers.submit(tenant, "cm-one", keys.sign(mixed)),
          ConsentException.Kind.UNKNOWN_PURPOSE);
      // a manager the tenant does not have
      assertRefused(
          () -> managers.submit(tenant, "cm-nine", keys.sign(good)),
          ConsentException.Kind.NOT_FOUND);
      // suspended
      managers.suspend(tenant, "cm-one");
      assertRefused(
          () -> managers.submit(tenant, "cm-one", keys.sign(good)),
          ConsentException.Kind.CONSENT_MANAGER_SUSPENDED);
      assertRefused(
          () -> managers.changes(tenant, "cm-one", 0, 10),
          ConsentException.Kind.CONSENT_MANAGER_SUSPENDED);

      assertThat(ledger.subjectHistory(tenant, "alice")).isEmpty();
      assertThat(ledger.subjectHistory(tenant, "mallory")).isEmpty();
      assertThat(count(db, "consent_manager_artefacts", tenant)).isZero();

      // resumed, the good artefact is accepted
      managers.resume(tenant, "cm-one");
      assertThat(managers.submit(tenant, "cm-one", keys.sign(good)).events()).hasSize(1);
    }
  }

  @DatabaseTest
  void libraryCaller_cannotForgeConsentManagerProvenance(Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP))) {
      ConsentManagers managers = ConsentManagers.open(db, c -> c.ledger(ledger).policy(DPDP));
      String tenant = tenant();
      ManagerKeys keys = new ManagerKeys("k1");
      managers.register(tenant, "cm-one", "CM/1", "One", keys.jwks(), null);
      ConsentManagers.Applied applied =
          managers.submit(
              tenant,
              "cm-one",
              keys.sign(ManagerKeys.claims("cm-one", tenant, "alice", "give", List.of("account"))));
      ConsentChange forged =
          ConsentChange.of(tenant, "bob", "account", 2, "en")
              .withEvidence(ConsentMethod.CONSENT_MANAGER, Evidence.at(Instant.now()))
              .withProvenance(Provenance.NONE.withConsentManager("cm-one", "made-up"));
      assertRefused(() -> ledger.give(forged), ConsentException.Kind.INVALID_FIELD);
      // a real artefact id, for another subject
      ConsentChange reused =
          forged.withProvenance(
              Provenance.NONE.withConsentManager("cm-one", applied.artefact().id()));
      assertRefused(() -> ledger.give(reused), ConsentException.Kind.INVALID_FIELD);
      assertThat(ledger.subjectHistory(tenant, "bob")).isEmpty();
    }
  }

  @DatabaseTest
  void registry_refusesPrivateKeys_shadowingThePolicy_andRotatesKeys(Database db) {
    ManagerKeys keys = new ManagerKeys("k1");
    PolicySet policy =
        PolicyLoader.parse(
            "dpdp.yaml",
            PolicyPacks.text("dpdp.yaml")
                + "\nconsent_managers:\n  - id: cm-board\n    registration_number: CM/9\n"
                + "    name: Board Listed\n    jwks: "
                + keys.jwks()
                + "\n");
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(policy))) {
      ConsentManagers managers = ConsentManagers.open(db, c -> c.ledger(ledger).policy(policy));
      String tenant = tenant();
      assertRefused(
          () -> managers.register(tenant, "cm-board", "CM/X", "Shadow", keys.jwks(), null),
          ConsentException.Kind.CONFLICT);
      assertRefused(
          () -> managers.register(tenant, "cm-x", "CM/X", "X", keys.key.toJSONString(), null),
          ConsentException.Kind.INVALID_FIELD);
      assertRefused(
          () ->
              managers.register(
                  tenant,
                  "cm-x",
                  "CM/X",
                  "X",
                  new com.nimbusds.jose.jwk.JWKSet(keys.key).toString(false),
                  null),
          ConsentException.Kind.INVALID_FIELD);
      assertThat(managers.list(tenant)).extracting(ConsentManager::id).containsExactly("cm-board");
      // the policy's manager is accepted for every tenant
      assertThat(
              managers
                  .submit(
                      tenant,
                      "cm-board",
                      keys.sign(
                          ManagerKeys.claims(
                              "cm-board", tenant, "alice", "give", List.of("account"))))
                  .events())
          .hasSize(1);

      // rotation: the old key stops working once the set is replaced
      ManagerKeys next = new ManagerKeys("k2");
      managers.register(tenant, "cm-x", "CM/X", "X", keys.jwks(), null);
      managers.replaceKeys(tenant, "cm-x", next.jwks());
      assertRefused(
          () ->
              managers.submit(
                  tenant,
                  "cm-x",
                  keys.sign(ManagerKeys.claims("cm-x", tenant, "bob", "give", List.of("account")))),
          ConsentException.Kind.INVALID_ARTEFACT);
      assertThat(
              managers
                  .submit(
                      tenant,
                      "cm-x",
                      next.sign(
                          ManagerKeys.claims("cm-x", tenant, "bob", "give", List.of("account"))))
                  .events())
          .hasSize(1);
      managers.remove(tenant, "cm-x");
      assertThat(managers.get(tenant, "cm-x")).isEmpty();
      assertRefused(
          () -> managers.register(tenant, "cm-x", "CM/X", "X", keys.jwks(), null),
          ConsentException.Kind.CONFLICT);
    }
  }

  @DatabaseTest
  void directChange_ofAPrincipalWhoUsedAManager_isQueuedForIt(Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP))) {
      ConsentManagers managers = ConsentManagers.open(db, c -> c.ledger(ledger).policy(DPDP));
      String tenant = tenant();
      ManagerKeys keys = new ManagerKeys("k1");
      managers.register(tenant, "cm-one", "CM/1", "One", keys.jwks(), null);
      managers.submit(
          tenant,
          "cm-one",
          keys.sign(ManagerKeys.claims("cm-one", tenant, "alice", "give", List.of("account"))));
      assertThat(managers.changes(tenant, "cm-one", 0, 100)).isEmpty(); // its own: not echoed

      ledger.withdraw(ConsentChange.of(tenant, "alice", "account", 2, "en"));
      ledger.give(ConsentChange.of(tenant, "carol", "account", 2, "en")); // never used a manager

      List<ManagerChange> changes = managers.changes(tenant, "cm-one", 0, 100);
      assertThat(changes).hasSize(1);
      ManagerChange change = changes.get(0);
      assertThat(change.subject()).isEqualTo("alice");
      assertThat(change.state()).isEqualTo("WITHDRAWN");
      assertThat(change.method()).isEqualTo("FORM");
      assertThat(change.delivery()).isNull();
      assertThat(change.pulledAt()).isNull(); // as it was before this pull
      assertThat(managers.changes(tenant, "cm-one", change.cursor(), 100)).isEmpty();
      assertThat(managers.changes(tenant, "cm-one", 0, 100).get(0).pulledAt()).isNotNull();
    }
  }

  @DatabaseTest
  void halfAppliedArtefact_completesWhenRetried_withoutDuplicates(Database db) {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP))) {
      ConsentManagers managers = ConsentManagers.open(db, c -> c.ledger(ledger).policy(DPDP));
      String tenant = tenant();
      ManagerKeys keys = new ManagerKeys("k1");
      managers.register(tenant, "cm-one", "CM/1", "One", keys.jwks(), null);
      String jws =
          keys.sign(
              ManagerKeys.claims(
                  "cm-one", tenant, "alice", "give", List.of("account", "usage_analytics")));
      // an earlier attempt stored the artefact and recorded the first purpose, then died
      ConsentManager manager = managers.get(tenant, "cm-one").orElseThrow();
      ArtefactVerifier.Claims claims =
          ArtefactVerifier.verify(
              jws, manager, tenant, Instant.now(), java.time.Duration.ofMinutes(10));
      String id = UUID.randomUUID().toString();
      new ArtefactStore(dev.privacykit.storage.spi.Jdbis.of(db))
          .insert(id, tenant, "cm-one", claims, jws, Instant.now());
      ledger.give(
          new ConsentChange(
              tenant,
              "alice",
              "account",
              2,
              "hi",
              ConsentMethod.CONSENT_MANAGER,
              new Evidence(claims.issuedAt(), "consent-manager", null, null, null),
              ActingParty.SELF,
              ManagerChanges.key("cm-one", claims.jti(), "account"),
              Provenance.NONE.withConsentManager("cm-one", id)));

      ConsentManagers.Applied applied = managers.submit(tenant, "cm-one", jws);

      assertThat(applied.artefact().id()).isEqualTo(id);
      assertThat(applied.events()).hasSize(2);
      assertThat(ledger.subjectHistory(tenant, "alice")).hasSize(2);
    }
  }

  @DatabaseTest
  void ed25519Artefact_isAccepted(Database db) throws Exception {
    try (ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP))) {
      ConsentManagers managers = ConsentManagers.open(db, c -> c.ledger(ledger).policy(DPDP));
      String tenant = tenant();
      java.security.KeyPair pair =
          java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] spki = pair.getPublic().getEncoded();
      byte[] x = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
      String jwks =
          "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"ed\",\"x\":\""
              + Base64.getUrlEncoder().withoutPadding().encodeToString(x)
              + "\"}]}";
      managers.register(tenant, "cm-ed", "CM/ED", "Ed", jwks, null);
      var encoder = Base64.getUrlEncoder().withoutPadding();
      String header = encoder.encodeToString("{\"alg\":\"EdDSA\",\"kid\":\"ed\"}".getBytes());
      String payload =
          encoder.encodeToString(
              new com.nimbusds.jose.Payload(
                      ManagerKeys.claims("cm-ed", tenant, "alice", "withdraw", List.of("account")))
                  .toBytes());
      java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
      signer.initSign(pair.getPrivate());
      signer.update((header + "." + payload).getBytes());
      String jws = header + "." + payload + "." + encoder.encodeToString(signer.sign());

      assertThat(managers.submit(tenant, "cm-ed", jws).events().get(0).state())
          .isEqualTo(ConsentState.WITHDRAWN);
    }
  }

  @DatabaseTest
  void artefactGivingForAChild_isRefused_andStoresNothing(Database db) {
    try (dev.privacykit.audit.AuditLog audit =
            dev.privacykit.audit.AuditLog.open(
                db,
                c ->
                    c.origin("t/audit")
                        .signer(dev.privacykit.audit.CheckpointSigner.generate("t/audit")));
        ConsentLedger ledger = ConsentLedger.open(db, c -> c.policy(DPDP).audit(audit))) {
      ConsentManagers managers = ConsentManagers.open(db, c -> c.ledger(ledger).policy(DPDP));
      Guardians guardians = Guardians.open(db, c -> c.audit(audit).ledger(ledger));
      String tenant = tenant();
      guardians.mark(
          tenant,
          "kid",
          dev.privacykit.policies.Guardianship.Kind.CHILD,
          WardMarking.Source.AGE_CHECK,
          null,
          null,
          "op:x");
      ManagerKeys keys = new ManagerKeys("k1");
      managers.register(tenant, "cm-one", "CM/2026/1", "One Consent", keys.jwks(), null);
      String jws =
          keys.sign(ManagerKeys.claims("cm-one", tenant, "kid", "give", List.of("account")));
      assertRefused(
          () -> managers.submit(tenant, "cm-one", jws),
          ConsentException.Kind.GUARDIAN_CONSENT_REQUIRED);
      assertThat(count(db, "consent_manager_artefacts", tenant)).isZero();
      assertThat(ledger.subjectHistory(tenant, "kid")).isEmpty();
      // a withdrawal for her through the manager is taken: it only protects her
      String withdraw =
          keys.sign(ManagerKeys.claims("cm-one", tenant, "kid", "withdraw", List.of("account")));
      assertThat(managers.submit(tenant, "cm-one", withdraw).events()).hasSize(1);
    }
  }
}
