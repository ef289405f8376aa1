package dev.privacykit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootKeysTest {
  private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

  @Test
  void keyFile_createdOwnerOnly_andOpensWithThePassphrase(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("root.key");
    RootKey created = RootKeys.createKeyFile(file, PASSPHRASE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).startsWith("privacykit-keyfile: 1\nkdf: argon2id\n");
    byte[] wrapped = created.wrap(new byte[32], new byte[] {1});
    RootKey opened = RootKeys.fromKeyFile(file, PASSPHRASE);
    assertThat(opened.id()).isEqualTo(created.id()).startsWith("file:");
    assertThat(opened.unwrap(wrapped, new byte[] {1})).isEqualTo(new byte[32]);
    assertThatThrownBy(() -> opened.unwrap(wrapped, new byte[] {2}))
        .hasMessage("decryption failed");
    assertThatThrownBy(() -> RootKeys.createKeyFile(file, PASSPHRASE))
        .isInstanceOf(IOException.class);
  }

  @Test
  void keyFile_wrongPassphrase_saysSo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("root.key");
    RootKeys.createKeyFile(file, PASSPHRASE);
    assertThatThrownBy(() -> RootKeys.fromKeyFile(file, "not the passphrase".toCharArray()))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage("wrong passphrase for key file " + file + " (or the file was altered)");
  }

  @Test
  void keyFile_readableByOthers_isRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("root.key");
    RootKeys.createKeyFile(file, PASSPHRASE);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> RootKeys.fromKeyFile(file, PASSPHRASE))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "key file "
                + file
                + " is readable or writable by group or others (rw-r--r--); run chmod 600 on it");
  }

  @Test
  void keyFile_missingOrMalformed_isExplained(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> RootKeys.fromKeyFile(dir.resolve("none"), PASSPHRASE))
        .hasMessage("key file " + dir.resolve("none") + " does not exist");
    Path file = dir.resolve("bad.key");
    Files.writeString(file, "hello\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> RootKeys.fromKeyFile(file, PASSPHRASE))
        .hasMessage("key file " + file + " line 1: expected 'name: value'");
    assertThatThrownBy(
            () -> RootKeys.createKeyFile(dir.resolve("short.key"), "short".toCharArray()))
        .hasMessage("the passphrase must be at least 12 characters");
  }

  @Test
  void environment_needs32Base64Bytes() throws Exception {
    RootKey key = RootKeys.fromBase64("PK_ROOT", Base64.getEncoder().encodeToString(new byte[32]));
    assertThat(key.id()).startsWith("env:PK_ROOT:");
    assertThatThrownBy(() -> RootKeys.fromBase64("PK_ROOT", null))
        .hasMessage("environment variable PK_ROOT is not set");
    assertThatThrownBy(() -> RootKeys.fromBase64("PK_ROOT", "c2hvcnQ="))
        .hasMessage("PK_ROOT must hold 32 bytes in base64, found 5 bytes");
    assertThatThrownBy(() -> RootKeys.fromBase64("PK_ROOT", "***"))
        .hasMessage("PK_ROOT must hold 32 bytes in base64");
  }
}
