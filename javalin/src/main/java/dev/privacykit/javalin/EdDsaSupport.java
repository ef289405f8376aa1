package dev.privacykit.javalin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * EdDSA (Ed25519) tokens through the JDK's own Ed25519, since Nimbus' Ed25519 verifier needs Tink
 * and its key selector does not pick Ed25519 keys: a key selector that turns the issuer's OKP keys
 * into JDK public keys, and a verifier factory that verifies them with {@code
 * Signature("Ed25519")}.
 */
final class EdDsaSupport {
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private EdDsaSupport() {}

  /** A selector for the allowed algorithms, Ed25519 keys included. */
  static JWSKeySelector<SecurityContext> keySelector(
      Set<JWSAlgorithm> others, JWKSource<SecurityContext> keys) {
    JWSVerificationKeySelector<SecurityContext> rest =
        new JWSVerificationKeySelector<>(others, keys);
    return (header, context) -> {
      if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
        return rest.selectJWSKeys(header, context);
      }
      JWKMatcher matcher =
          new JWKMatcher.Builder()
              .keyType(KeyType.OKP)
              .curve(Curve.Ed25519)
              .keyID(header.getKeyID())
              .build();
      List<Key> selected = new ArrayList<>();
      for (JWK jwk : keys.get(new JWKSelector(matcher), context)) {
        if (jwk instanceof OctetKeyPair okp) {
          selected.add(publicKey(okp.getX().decode()));
        }
      }
      return selected;
    };
  }

  /** Verifiers: Ed25519 here, everything else from Nimbus. */
  static JWSVerifierFactory verifiers() {
    DefaultJWSVerifierFactory nimbus = new DefaultJWSVerifierFactory();
    return new JWSVerifierFactory() {
      @Override
      public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        Set<JWSAlgorithm> all = new java.util.HashSet<>(nimbus.supportedJWSAlgorithms());
        all.add(JWSAlgorithm.EdDSA);
        return all;
      }

      @Override
      public JCAContext getJCAContext() {
        return nimbus.getJCAContext();
      }

      @Override
      public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        if (JWSAlgorithm.EdDSA.equals(header.getAlgorithm())
            && key instanceof EdECPublicKey edKey) {
          return new Ed25519Verifier(edKey);
        }
        return nimbus.createJWSVerifier(header, key);
      }
    };
  }

  private static PublicKey publicKey(byte[] x) {
    try {
      byte[] der = new byte[X509_PREFIX.length + x.length];
      System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
      System.arraycopy(x, 0, der, X509_PREFIX.length, x.length);
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 key");
    }
  }

  /** Verifies EdDSA (Ed25519) signatures with the JDK. */
  private static final class Ed25519Verifier implements JWSVerifier {
    private final PublicKey key;
    private final JCAContext jca = new JCAContext();

    Ed25519Verifier(PublicKey key) {
      this.key = key;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature)
        throws JOSEException {
      try {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(signingInput);
        return verifier.verify(signature.decode());
      } catch (GeneralSecurityException e) {
        return false;
      }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }
  }
}
