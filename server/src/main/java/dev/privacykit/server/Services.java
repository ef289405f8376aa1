package dev.privacykit.server;

import dev.privacykit.audit.AuditLog;
import dev.privacykit.audit.CheckpointSigner;
import dev.privacykit.consent.ConsentFigures;
import dev.privacykit.consent.ConsentLedger;
import dev.privacykit.consent.ConsentReceipts;
import dev.privacykit.consent.DataSubjectRequests;
import dev.privacykit.consent.Incidents;
import dev.privacykit.consent.RetentionExecutor;
import dev.privacykit.consent.Webhooks;
import dev.privacykit.crypto.FieldCipher;
import dev.privacykit.crypto.Keyring;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.RootKeys;
import dev.privacykit.crypto.SubjectKeys;
import dev.privacykit.policies.DecisionEngine;
import dev.privacykit.policies.PolicyLoader;
import dev.privacykit.policies.PolicyPacks;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.Regime;
import dev.privacykit.storage.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Everything the service and its command-line tools work with, opened from one configuration on a
 * migrated database: policy, root key, keyring, ciphers, audit log, consent ledger, receipts,
 * data-subject requests and webhooks. Closing it flushes the audit queue. Thread-safe.
 */
public final class Services implements AutoCloseable {
  public static final String DEV_ROOT_KEY = "dev-root.key";

  public final ServerConfig config;
  public final Database database;
  public final PolicySet policy;
  public final RootKey rootKey;
  public final Keyring keyring;
  public final FieldCipher randomized;
  public final FieldCipher deterministic;
  public final SubjectKeys subjectKeys;

  /** The audit log: the one tree, or shard 0 of a sharded log (system-wide entries only). */
  public final AuditLog audit;

  /**
   * The read replica serving audit listings and reports ({@code database.replica_url}), or null.
   */
  private final Database replica;

  /** Every tree of the audit log; a tenant's entries are in {@link #audit(String)}. */
  public final AuditTrees audits;

  public final ConsentLedger ledger;

  /**
   * The one decision engine of the service, over the ledger's cached lookup: the plugin's route
   * guard and the consent-check route both ask it.
   */
  public final DecisionEngine decisions;

  public final ConsentReceipts receipts;
  public final DataSubjectRequests requests;
  public final dev.privacykit.consent.RecipientConfirmations recipientNotices;
  public final Webhooks webhooks;
  public final Incidents incidents;
  public final RetentionExecutor retention;
  public final dev.privacykit.consent.Nominations nominations;
  public final dev.privacykit.consent.Guardians guardians;

  /** Consent Managers: their registry, their signed artefacts, the changes sent back to them. */
  public final dev.privacykit.consent.ConsentManagers consentManagers;

  /** Counts for the console, {@code /v1/status} and metrics: never a subject. */
  public final ConsentFigures figures;

  /** The development issuer, or null in production mode. */
  public final DevIssuer devIssuer;

  public final Installation installation;

  private Services(ServerConfig config, Database database, Installation installation)
      throws IOException, GeneralSecurityException {
    this.config = config;
    this.database = database;
    this.installation = installation;
    this.policy = policy(config);
    AuditSettings.requireRetention(config, policy);
    this.rootKey = rootKey(config);
    this.devIssuer = config.production() ? null : DevIssuer.open(config.dataDirectory());
    this.keyring = Keyring.open(database, rootKey, c -> c.usageBudget(config.usageBudget()));
    this.randomized = FieldCipher.randomized(keyring);
    this.deterministic = FieldCipher.deterministic(keyring);
    this.subjectKeys = SubjectKeys.open(database, rootKey);
    String origin = "privacykit.local/audit/" + installation.id();
    CheckpointSigner signer = CheckpointSigner.open(database, rootKey, "privacykit-audit");
    this.replica = ReplicaSettings.open(config, database);
    this.audits =
        AuditTrees.open(
            database,
            config.integer(Setting.AUDIT_SHARDS),
            // 50,000 waiting entries (a tenant may hold half): bursts wait rather than 503.
            c -> {
              c.origin(origin).signer(signer).subjectKeys(subjectKeys).queueCapacity(50_000);
              c.readReplica(replica, ReplicaSettings.READ_WAIT);
              config.audit().applyTo(c, policy);
            });
    this.audit = audits.first();
    this.ledger = ConsentLedger.open(database, c -> c.policy(policy).audit(audits));
    this.decisions = new DecisionEngine(policy, ledger.lookup());
    this.consentManagers =
        dev.privacykit.consent.ConsentManagers.open(
            database,
            c ->
                c.ledger(ledger)
                    .policy(policy)
                    .maxAge(java.time.Duration.ofMinutes(managerMaxAge(config))));
    this.receipts =
        ConsentReceipts.open(
            database,
            rootKey,
            config.get(Setting.CONTROLLER),
            config.get(Setting.CONTROLLER_CONTACT),
            policy.regime() == Regime.DPDP ? "IN" : "EU",
            "https://privacykit.local/policy/" + policy.name().replace(' ', '-'));
    this.requests =
        DataSubjectRequests.open(
            database,
            c ->
                HostDataSettings.configure(
                        c.audit(audits).subjectKeys(subjectKeys).ledger(ledger).policy(policy),
                        config)
                    .contributor(consentManagers.evidence()));
    this.recipientNotices = dev.privacykit.consent.RecipientConfirmations.open(database, requests);
    this.nominations =
        dev.privacykit.consent.Nominations.open(database, c -> c.audit(audits).requests(requests));
    this.guardians =
        dev.privacykit.consent.Guardians.open(database, c -> c.audit(audits).ledger(ledger));
    this.figures = new ConsentFigures(database);
    this.incidents = IncidentSettings.open(config, database, audits, policy);
    this.retention = RetentionSettings.open(config, database, this);
    this.webhooks =
        Webhooks.open(
            database,
            c -> {
              c.keyring(keyring);
              if (!config.production()) {
                // Development mode serves one machine: its receivers are local.
                c.insecureAllowPlainHttp().insecureAllowPrivateTargets();
              }
            });
  }

  /**
   * Opens every service on {@code database} (migrated).
   *
   * @throws IllegalArgumentException naming the setting when production settings are missing or a
   *     key source or policy file is unusable
   */
  public static Services open(ServerConfig config, Database database) {
    requireProductionSettings(config);
    Installation installation = Installation.ensure(database);
    try {
      return new Services(config, database, installation);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Refuses production mode without an issuer, its keys and a root key source, naming each missing
   * setting. Checked before the database is opened.
   */
  public static void requireProductionSettings(ServerConfig config) {
    List<String> missing = missingForProduction(config);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "production mode needs " + String.join(" and ", missing) + "; refusing to start");
    }
  }

  private static List<String> missingForProduction(ServerConfig config) {
    List<String> missing = new ArrayList<>();
    if (!config.production()) {
      return missing;
    }
    if (config.get(Setting.ISSUER).isBlank()) {
      missing.add("a token issuer: " + Setting.ISSUER.label());
    }
    if (config.get(Setting.JWKS_URL).isBlank() && config.get(Setting.JWKS_FILE).isBlank()) {
      missing.add(
          "the issuer's keys: " + Setting.JWKS_URL.label() + " or " + Setting.JWKS_FILE.label());
    }
    if (config.get(Setting.KEY_SOURCE).isBlank()) {
      missing.add("a root key source: " + Setting.KEY_SOURCE.label());
    }
    return missing;
  }

  private static int managerMaxAge(ServerConfig config) {
    int minutes = config.integer(Setting.CONSENT_MANAGER_MAX_AGE_MINUTES);
    if (minutes < 1 || minutes > 1440) {
      throw new IllegalArgumentException(
          Setting.CONSENT_MANAGER_MAX_AGE_MINUTES.label() + " must be 1 to 1440, was " + minutes);
    }
    return minutes;
  }

  private static PolicySet policy(ServerConfig config) throws IOException {
    String file = config.get(Setting.POLICY_FILE);
    return file.isBlank() ? PolicyPacks.gdpr() : PolicyLoader.load(Path.of(file));
  }

  private static RootKey rootKey(ServerConfig config) throws IOException, GeneralSecurityException {
    String source = config.get(Setting.KEY_SOURCE);
    if (source.startsWith("env:")) {
      return RootKeys.fromEnvironment(source.substring(4));
    }
    if (source.startsWith("file:")) {
      String passphrase = config.get(Setting.KEY_PASSPHRASE);
      if (passphrase.isEmpty()) {
        throw new IllegalArgumentException(
            Setting.KEY_SOURCE.label() + " is a key file: set " + Setting.KEY_PASSPHRASE.env);
      }
      return RootKeys.fromKeyFile(Path.of(source.substring(5)), passphrase.toCharArray());
    }
    if (!source.isBlank()) {
      throw new IllegalArgumentException(
          Setting.KEY_SOURCE.label() + " must be env:VARIABLE or file:PATH");
    }
    return developmentRootKey(config.dataDirectory());
  }

  /**
   * The development root key: a key file in the data directory whose passphrase sits next to it.
   * That protects nothing against someone who can read the directory; production mode refuses it.
   */
  private static RootKey developmentRootKey(Path directory)
      throws IOException, GeneralSecurityException {
    Files.createDirectories(directory);
    Path key = directory.resolve(DEV_ROOT_KEY);
    Path passphraseFile = directory.resolve(DEV_ROOT_KEY + ".passphrase");
    if (Files.exists(key)) {
      return RootKeys.fromKeyFile(
          key, Files.readString(passphraseFile, StandardCharsets.UTF_8).strip().toCharArray());
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    try {
      Files.createFile(
          passphraseFile,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(passphraseFile); // not a POSIX file system
    }
    Files.writeString(passphraseFile, passphrase, StandardCharsets.UTF_8);
    return RootKeys.createKeyFile(key, passphrase.toCharArray());
  }

  /** Flushes and closes the audit log and the ledger; the database stays open. */
  @Override
  public void close() {
    webhooks.close();
    ledger.close();
    audits.close();
    if (replica != null) {
      replica.close();
    }
  }

  /** The log that holds {@code tenant}'s entries: the one tree, or the tenant's shard. */
  public AuditLog audit(String tenant) {
    return audits.forTenant(tenant);
  }
}
