package dev.privacykit.consent;

import java.time.Instant;
import java.util.List;

/**
 * A verified artefact of a Consent Manager, kept as evidence: the compact JWS exactly as received
 * and its SHA-256, so anyone holding the manager's public key can check it again.
 *
 * @param id the artefact id the consent events name ({@link Provenance#artefact()})
 * @param consentManager the manager's id
 * @param jti the manager's unique id of the artefact
 * @param subject the data principal's reference
 * @param action give, renew, refuse or withdraw
 * @param purposes the purposes it changed
 * @param issuedAt its {@code iat}, the time the principal acted
 * @param receivedAt when PrivacyKit verified it
 * @param sha256 the SHA-256 of the compact JWS, lower-case hex
 * @param jws the compact JWS
 * @param applied whether every purpose is in the ledger
 */
public record ManagerArtefact(
    String id,
    String consentManager,
    String jti,
    String subject,
    String action,
    List<String> purposes,
    Instant issuedAt,
    Instant receivedAt,
    String sha256,
    String jws,
    boolean applied) {}
