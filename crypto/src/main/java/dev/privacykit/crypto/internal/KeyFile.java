package dev.privacykit.crypto.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The passphrase-protected key file: a small text file of {@code name: value} lines holding the
 * Argon2id parameters and salt, and the root key wrapped with RFC 5649 AES key wrap under the
 * Argon2id-derived key. Not API.
 */
public final class KeyFile {
  static final String MAGIC = "privacykit-keyfile";
  static final int MEMORY_KIB = 64 * 1024;
  static final int ITERATIONS = 3;
  static final int PARALLELISM = 1;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private KeyFile() {}

  /** Writes a new key file holding {@code key}; fails if {@code path} exists. */
  public static void create(Path path, char[] passphrase, byte[] key)
      throws IOException, GeneralSecurityException {
    checkPassphrase(passphrase);
    byte[] salt = Gcm.randomBytes(16);
    byte[] kek = argon2id(passphrase, salt, MEMORY_KIB, ITERATIONS, PARALLELISM);
    byte[] wrapped;
    try {
      wrapped = KeyWrap.wrapKwp(kek, key);
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
    String text =
        MAGIC
            + ": 1\n"
            + "kdf: argon2id\n"
            + "memory-kib: "
            + MEMORY_KIB
            + "\n"
            + "iterations: "
            + ITERATIONS
            + "\n"
            + "parallelism: "
            + PARALLELISM
            + "\n"
            + "salt: "
            + Bytes.toBase64Url(salt)
            + "\n"
            + "wrapped-key: "
            + Bytes.toBase64Url(wrapped)
            + "\n";
    if (Files.exists(path)) {
      throw new FileAlreadyExistsException(path.toString(), null, "key file exists already");
    }
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    boolean posix =
        Files.getFileStore(parent).supportsFileAttributeView(PosixFileAttributeView.class);
    if (posix) {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(path);
    }
    Files.writeString(path, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** Reads a key file and returns the root key it holds. */
  public static byte[] open(Path path, char[] passphrase)
      throws IOException, GeneralSecurityException {
    checkPermissions(path);
    Map<String, String> fields = parse(path);
    byte[] salt = decode(path, fields, "salt");
    byte[] wrapped = decode(path, fields, "wrapped-key");
    int memory = number(path, fields, "memory-kib", 8 * 1024, 4 * 1024 * 1024);
    int iterations = number(path, fields, "iterations", 1, 100);
    int parallelism = number(path, fields, "parallelism", 1, 64);
    byte[] kek = argon2id(passphrase, salt, memory, iterations, parallelism);
    try {
      byte[] key = KeyWrap.unwrapKwp(kek, wrapped);
      if (key.length != 32) {
        throw new GeneralSecurityException("wrong passphrase for key file " + path);
      }
      return key;
    } catch (GeneralSecurityException e) {
      throw new GeneralSecurityException(
          "wrong passphrase for key file " + path + " (or the file was altered)");
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  private static void checkPassphrase(char[] passphrase) {
    if (passphrase == null || passphrase.length < 12) {
      throw new IllegalArgumentException("the passphrase must be at least 12 characters");
    }
  }

  private static void checkPermissions(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new IOException("key file " + path + " does not exist");
    }
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> permissions = view.readAttributes().permissions();
    if (!OWNER_ONLY.containsAll(permissions)) {
      throw new IOException(
          "key file "
              + path
              + " is readable or writable by group or others ("
              + PosixFilePermissions.toString(permissions)
              + "); run chmod 600 on it");
    }
  }

  private static Map<String, String> parse(Path path) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    int lineNumber = 0;
    for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
      lineNumber++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException(
            "key file " + path + " line " + lineNumber + ": expected 'name: value'");
      }
      fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
    }
    if (!"1".equals(fields.get(MAGIC)) || !"argon2id".equals(fields.get("kdf"))) {
      throw new IOException(
          "key file " + path + " is not a PrivacyKit key file (version 1, argon2id)");
    }
    return fields;
  }

  private static byte[] decode(Path path, Map<String, String> fields, String name)
      throws IOException {
    String value = fields.get(name);
    try {
      if (value == null) {
        throw new IllegalArgumentException();
      }
      return Bytes.fromBase64Url(value);
    } catch (IllegalArgumentException e) {
      throw new IOException("key file " + path + ": '" + name + "' is missing or not base64url");
    }
  }

  private static int number(Path path, Map<String, String> fields, String name, int min, int max)
      throws IOException {
    try {
      int value = Integer.parseInt(fields.getOrDefault(name, ""));
      if (value < min || value > max) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IOException(
          "key file " + path + ": '" + name + "' must be a number from " + min + " to " + max);
    }
  }

  static byte[] argon2id(char[] passphrase, byte[] salt, int memoryKib, int iterations, int lanes) {
    Argon2Parameters parameters =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withSalt(salt)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(lanes)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] out = new byte[32];
    generator.generateBytes(passphrase, out);
    return out;
  }
}
