package dev.privacykit.audit;

import dev.privacykit.audit.internal.Merkle;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A transparency-log witness (C2SP tlog-witness {@code add-checkpoint}, cosignatures per C2SP
 * tlog-cosignature v1) that any third party can run for a PrivacyKit log: it keeps the latest
 * checkpoint it cosigned per log origin, accepts a new one only when the log's key signed it and a
 * consistency proof leads to it from that checkpoint, and answers with a timestamped cosignature.
 * Its state is a file per origin in its directory, written durably before it answers, so it
 * survives restarts; a checkpoint that goes backwards or forks is refused and recorded in {@code
 * refused.log}. Thread-safe: the check and the write are one step.
 */
public final class Witness {
  /** An HTTP answer: status, content type and body. */
  public record Answer(int status, String contentType, String body) {}

  private static final int MAX_PROOF = 63;
  private final Path directory;
  private final Cosigner cosigner;
  private final Map<String, String> logKeys;
  private final Clock clock;
  private final Map<String, Checkpoint> latest = new HashMap<>();

  private Witness(Path directory, Cosigner cosigner, Map<String, String> logKeys, Clock clock) {
    this.directory = directory;
    this.cosigner = cosigner;
    this.logKeys = Map.copyOf(logKeys);
    this.clock = clock;
  }

  /**
   * Opens a witness keeping its state in {@code directory}, cosigning with {@code cosigner}, for
   * the logs in {@code logKeys} (origin → the log's checkpoint verifier key).
   *
   * @throws IOException if a state file cannot be read, or holds a checkpoint its log's key does
   *     not verify
   */
  public static Witness open(Path directory, Cosigner cosigner, Map<String, String> logKeys)
      throws IOException {
    return open(directory, cosigner, logKeys, Clock.systemUTC());
  }

  static Witness open(Path directory, Cosigner cosigner, Map<String, String> logKeys, Clock clock)
      throws IOException {
    Witness witness = new Witness(directory, cosigner, logKeys, clock);
    Files.createDirectories(directory.resolve("logs"));
    for (Map.Entry<String, String> log : logKeys.entrySet()) {
      Path file = witness.stateFile(log.getKey());
      if (Files.exists(file)) {
        try {
          witness.latest.put(
              log.getKey(),
              Checkpoint.verify(Files.readString(file, StandardCharsets.UTF_8), log.getValue()));
        } catch (AuditLogException e) {
          throw new IOException("witness state " + file + " does not verify: " + e.getMessage());
        }
      }
    }
    return witness;
  }

  /** The cosigner's verifier key, for logs and auditors to trust this witness. */
  public String verifierKey() {
    return cosigner.verifierKey();
  }

  /** The latest checkpoint this witness cosigned for {@code origin}. */
  public synchronized Optional<Checkpoint> latest(String origin) {
    return Optional.ofNullable(latest.get(origin));
  }

  /**
   * Handles an {@code add-checkpoint} request body: {@code old <size>}, up to 63 base64 proof
   * lines, an empty line, then the signed checkpoint. 200 with the cosignature line; 400 malformed
   * or old size above the checkpoint's; 403 no trusted signature; 404 unknown origin; 409 old size
   * not the latest cosigned one ({@code text/x.tlog.size}, that size) or same size with another
   * root; 422 the consistency proof does not verify.
   */
  public synchronized Answer addCheckpoint(String body) {
    int split = body.indexOf("\n\n");
    if (split < 0) {
      return text(400, "no empty line before the checkpoint");
    }
    String[] header = body.substring(0, split).split("\n", -1);
    String note = body.substring(split + 2);
    if (!header[0].matches("old (0|[1-9][0-9]{0,18})") || header.length - 1 > MAX_PROOF) {
      return text(400, "the first line must be old <size>, then at most 63 proof lines");
    }
    long old = Long.parseLong(header[0].substring(4));
    List<byte[]> proof = new ArrayList<>();
    for (int i = 1; i < header.length; i++) {
      byte[] hash;
      try {
        hash = Base64.getDecoder().decode(header[i]);
      } catch (IllegalArgumentException e) {
        return text(400, "proof line " + i + " is not base64");
      }
      if (hash.length != Merkle.HASH) {
        return text(400, "proof line " + i + " is not a 32-byte hash");
      }
      proof.add(hash);
    }
    String origin = note.split("\n", 2)[0];
    String logKey = logKeys.get(origin);
    if (logKey == null) {
      return text(404, "unknown log origin");
    }
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.verify(note, logKey);
    } catch (AuditLogException e) {
      return text(403, "no signature by the log's key verifies");
    }
    if (old > checkpoint.size()) {
      return text(400, "old size is above the checkpoint's size");
    }
    Checkpoint previous = latest.get(origin);
    long known = previous == null ? 0 : previous.size();
    if (old != known) {
      if (checkpoint.size() < known) {
        refused(origin, old, checkpoint, "goes back from the cosigned size " + known);
      }
      return new Answer(409, "text/x.tlog.size", known + "\n");
    }
    if (old == 0 && !proof.isEmpty()) {
      return text(400, "the proof must be empty from size 0");
    }
    if (previous != null && old == checkpoint.size()) {
      if (!Arrays.equals(previous.root(), checkpoint.root())) {
        refused(origin, old, checkpoint, "fork: same size, another root");
        return text(409, "same size as the latest cosigned checkpoint, another root");
      }
    } else if (previous != null
        && !Merkle.verifyConsistency(
            old, checkpoint.size(), previous.root(), checkpoint.root(), proof)) {
      refused(origin, old, checkpoint, "consistency proof does not verify");
      return text(422, "the consistency proof does not verify");
    }
    try {
      persist(origin, note);
    } catch (IOException e) {
      return text(503, "the witness could not record the checkpoint");
    }
    latest.put(origin, checkpoint);
    String cosignature = cosigner.cosign(bodyOf(note), Instant.now(clock).getEpochSecond());
    return new Answer(200, "text/plain; charset=utf-8", cosignature);
  }

  static String bodyOf(String note) {
    return note.substring(0, note.indexOf("\n\n") + 1);
  }

  private Path stateFile(String origin) {
    return directory
        .resolve("logs")
        .resolve(HexFormat.of().formatHex(Merkle.sha256(origin.getBytes(StandardCharsets.UTF_8))));
  }

  /** Writes the new state durably (temporary file synced, then moved over the old one). */
  private void persist(String origin, String note) throws IOException {
    Path file = stateFile(origin);
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(note.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Records a refused checkpoint that the log's key did sign: evidence of misbehaviour. */
  private void refused(String origin, long old, Checkpoint checkpoint, String why) {
    String line =
        Instant.now(clock)
            + " origin="
            + origin
            + " old="
            + old
            + " size="
            + checkpoint.size()
            + " root="
            + checkpoint.rootHex()
            + " refused: "
            + why
            + "\n";
    try {
      Files.writeString(
          directory.resolve("refused.log"),
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException ignored) {
      // the refusal stands; only its record is lost
    }
  }

  private static Answer text(int status, String message) {
    return new Answer(status, "text/plain; charset=utf-8", message + "\n");
  }
}
