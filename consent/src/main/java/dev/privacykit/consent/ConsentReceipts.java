package dev.privacykit.consent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import dev.privacykit.crypto.RootKey;
import dev.privacykit.crypto.SigningKeys;
import dev.privacykit.policies.PolicySet;
import dev.privacykit.policies.Purpose;
import dev.privacykit.storage.Database;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;

/**
 * Signed consent receipts: the record of a consent event in Kantara Consent Receipt v1.1 or ISO/IEC
 * TS 27560 shape, as a compact JWS (ES256, {@code typ} {@code consent-receipt+jws}). The signing
 * key lives in the database, wrapped by the root key; {@link #publicJwk()} is what a data subject
 * or an auditor uses to check a receipt with {@link #verify}.
 *
 * <p>Thread-safe.
 */
public final class ConsentReceipts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_NAME = "consent-receipts";
  private static final SigningKeys.Table TABLE =
      new SigningKeys.Table(
          "consent_signing_keys", "public_jwk", "privacykit/consent-receipt-key/v1");

  private final ECKey key;
  private final String controller;
  private final String contact;
  private final String jurisdiction;
  private final String policyUrl;

  private ConsentReceipts(
      ECKey key, String controller, String contact, String jurisdiction, String policyUrl) {
    this.key = key;
    this.controller = controller;
    this.contact = contact;
    this.jurisdiction = jurisdiction;
    this.policyUrl = policyUrl;
  }

  /**
   * Opens the receipt signer (making its key on first use) for a data controller.
   *
   * @param controller the controller's legal name
   * @param contact where subjects reach the controller (an e-mail address or URL of the controller)
   * @param jurisdiction where the controller is established (such as {@code DE}, {@code IN})
   * @param policyUrl the privacy policy's URL
   */
  public static ConsentReceipts open(
      Database database,
      RootKey rootKey,
      String controller,
      String contact,
      String jurisdiction,
      String policyUrl)
      throws GeneralSecurityException {
    ECKey key = SigningKeys.getOrCreate(database, rootKey, TABLE, KEY_NAME, new ReceiptKeyCodec());
    return new ConsentReceipts(key, controller, contact, jurisdiction, policyUrl);
  }

  /** ES256 keys: PKCS#8 private part wrapped, public JWK in {@code public_jwk}. */
  private static final class ReceiptKeyCodec implements SigningKeys.Codec<ECKey> {
    @Override
    public ECKey generate() throws GeneralSecurityException {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      try {
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
            .privateKey(pair.getPrivate())
            .keyIDFromThumbprint()
            .build();
      } catch (JOSEException e) {
        throw new GeneralSecurityException("the receipt signing key could not be made");
      }
    }

    @Override
    public byte[] privateBytes(ECKey key) throws GeneralSecurityException {
      try {
        return key.toPrivateKey().getEncoded();
      } catch (JOSEException e) {
        throw new GeneralSecurityException("the receipt signing key is unreadable");
      }
    }

    @Override
    public Object publicValue(ECKey key) {
      return key.toPublicJWK().toJSONString();
    }

    @Override
    public ECKey restore(byte[] pkcs8, Object publicJwk) throws GeneralSecurityException {
      try {
        ECKey pub = ECKey.parse((String) publicJwk);
        ECPrivateKey priv =
            (ECPrivateKey)
                KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        return new ECKey.Builder(pub).privateKey(priv).build();
      } catch (ParseException e) {
        throw new GeneralSecurityException("the receipt signing key is unreadable");
      }
    }
  }

  /** The public key as a JWK (JSON), for verifying receipts. */
  public String publicJwk() {
    return key.toPublicJWK().toJSONString();
  }

  /** A signed receipt for {@code event} in {@code format}: a compact JWS. */
  public String receipt(ConsentEvent event, PolicySet policy, ReceiptFormat format) {
    ObjectNode body =
        format == ReceiptFormat.KANTARA_1_1 ? kantara(event, policy) : iso27560(event, policy);
    try {
      JWSObject jws =
          new JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .keyID(key.getKeyID())
                  .type(new JOSEObjectType("consent-receipt+jws"))
                  .build(),
              new Payload(JSON.writeValueAsString(body)));
      jws.sign(new ECDSASigner(key));
      return jws.serialize();
    } catch (JOSEException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("receipt could not be signed", e);
    }
  }

  /**
   * Checks a receipt's signature with a public JWK and returns its JSON.
   *
   * @throws ConsentException {@code invalid-receipt} if it is malformed or the signature fails
   */
  public static String verify(String receipt, String publicJwk) {
    try {
      JWSObject jws = JWSObject.parse(receipt);
      if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())) {
        throw new ConsentException(
            ConsentException.Kind.INVALID_RECEIPT, "receipt is not signed with ES256");
      }
      if (!jws.verify(new ECDSAVerifier(ECKey.parse(publicJwk)))) {
        throw new ConsentException(
            ConsentException.Kind.INVALID_RECEIPT, "receipt signature does not verify");
      }
      return jws.getPayload().toString();
    } catch (ParseException | JOSEException e) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_RECEIPT, "receipt or key is malformed");
    }
  }

  private ObjectNode kantara(ConsentEvent e, PolicySet policy) {
    Purpose purpose = policy.purpose(e.purpose()).orElse(null);
    ObjectNode r = JSON.createObjectNode();
    r.put("version", "KI-CR-v1.1.0");
    r.put("jurisdiction", jurisdiction);
    r.put("consentTimestamp", e.evidence().collectedAt().getEpochSecond());
    r.put("collectionMethod", e.method().name().toLowerCase(java.util.Locale.ROOT));
    r.put("consentReceiptID", e.eventId());
    r.put("language", e.language());
    if (e.provenance().noticeHash() != null) {
      // An extension: the SHA-256 of the exact notice text shown (DPDP Rule 3, GDPR Art. 7(1)).
      r.put("noticeHash", e.provenance().noticeHash());
    }
    r.put("piiPrincipalId", e.subject());
    ArrayNode controllers = r.putArray("piiControllers");
    controllers
        .addObject()
        .put("piiController", controller)
        .put("contact", contact)
        .put("onBehalf", false);
    r.put("policyUrl", policyUrl);
    ObjectNode service = r.putArray("services").addObject().put("service", policy.name());
    ObjectNode p = service.putArray("purposes").addObject();
    p.put("purpose", purpose == null ? e.purpose() : purpose.title());
    p.put("purposeCategory", e.purpose());
    p.put("consentType", "EXPLICIT");
    ArrayNode categories = p.putArray("piiCategory");
    if (purpose != null) {
      purpose.categories().stream().sorted().forEach(categories::add);
    }
    p.put("primaryPurpose", true);
    p.put("termination", e.validUntil() == null ? "until withdrawn" : e.validUntil().toString());
    p.put("thirdPartyDisclosure", purpose != null && !purpose.recipients().isEmpty());
    p.put("state", e.state().name());
    r.put("sensitive", purpose != null && purpose.art9Condition() != null);
    return r;
  }

  private ObjectNode iso27560(ConsentEvent e, PolicySet policy) {
    Purpose purpose = policy.purpose(e.purpose()).orElse(null);
    ObjectNode r = JSON.createObjectNode();
    r.put("schema_version", "ISO/IEC TS 27560:2023");
    r.put("record_id", e.eventId());
    r.put("pii_principal_id", e.subject());
    ObjectNode notice = r.putObject("notice");
    notice.put("notice_id", e.noticeId());
    notice.put("version", e.noticeVersion());
    notice.put("language", e.language());
    if (e.provenance().noticeHash() != null) {
      notice.put("sha256", e.provenance().noticeHash());
    }
    ObjectNode processing = r.putArray("purposes").addObject();
    processing.put("purpose_id", e.purpose());
    processing.put("purpose", purpose == null ? null : purpose.title());
    processing.put("lawful_basis", e.lawfulBasis());
    ArrayNode categories = processing.putArray("pii_categories");
    if (purpose != null) {
      purpose.categories().stream().sorted().forEach(categories::add);
    }
    processing.put("state", e.state().name());
    processing.put("valid_until", e.validUntil() == null ? null : e.validUntil().toString());
    ObjectNode event = r.putArray("events").addObject();
    event.put("event_type", e.state().name());
    event.put("time", e.evidence().collectedAt().toString());
    event.put("received_at", e.receivedAt().toString());
    event.put("method", e.method().name());
    event.put("actor", e.actingParty().name());
    event.put("channel", e.evidence().channel());
    event.put("ip_truncated", e.evidence().ipTruncated());
    event.put("user_agent_hash", e.evidence().userAgentHash());
    event.put("ui_version", e.evidence().uiVersion());
    r.putObject("controller")
        .put("name", controller)
        .put("contact", contact)
        .put("jurisdiction", jurisdiction);
    return r;
  }
}
