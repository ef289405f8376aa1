package dev.privacykit.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.UUID;

/**
 * The development token issuer: an RS256 key kept in the data directory (owner-only file), used by
 * the service in development mode to verify tokens and by {@code privacykit token mint} to make
 * them. Never used in production mode. Thread-safe.
 */
public final class DevIssuer {
  public static final String ISSUER = "http://127.0.0.1/privacykit-development";
  public static final String FILE = "dev-issuer.jwk";

  private final RSAKey key;
  private final String issuer;

  private DevIssuer(RSAKey key, String issuer) {
    this.key = key;
    this.issuer = issuer;
  }

  /** Opens the development issuer's key in {@code dataDirectory}, making it on first use. */
  public static DevIssuer open(Path dataDirectory) throws IOException {
    return open(dataDirectory.resolve(FILE), ISSUER);
  }

  /**
   * Opens (making on first use, readable by its owner only) a local issuer key in {@code file} that
   * signs as {@code issuer}: the demo issuer of {@code token issuer}, for trying production mode
   * with a JWKS file before an identity provider is wired in.
   */
  public static DevIssuer open(Path file, String issuer) throws IOException {
    Path dataDirectory = file.toAbsolutePath().getParent();
    try {
      if (Files.exists(file)) {
        return new DevIssuer(RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8)), issuer);
      }
      Files.createDirectories(dataDirectory);
      RSAKey fresh =
          new RSAKeyGenerator(2048)
              .keyID("dev-" + UUID.randomUUID().toString().substring(0, 8))
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.RS256)
              .generate();
      Path temporary = Files.createTempFile(dataDirectory, "dev-issuer", ".tmp");
      try {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: the directory's own permissions protect it
      }
      Files.writeString(
          temporary, fresh.toJSONString(), StandardCharsets.UTF_8, StandardOpenOption.WRITE);
      Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new DevIssuer(fresh, issuer);
    } catch (ParseException | JOSEException e) {
      throw new IOException("the development issuer key " + file + " is unusable", e);
    }
  }

  /** The public key as a JWK Set document. */
  public String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** A token for {@code subject} in {@code tenant} with these scopes, valid for {@code ttl}. */
  public String mint(
      String subject, String tenant, Collection<String> scopes, String audience, Duration ttl) {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(subject)
            .audience(audience)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString())
            .claim("tenant", tenant)
            .claim("scope", String.join(" ", scopes))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a development token", e);
    }
    return jwt.serialize();
  }
}
