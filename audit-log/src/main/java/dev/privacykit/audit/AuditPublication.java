package dev.privacykit.audit;

import dev.privacykit.audit.internal.CosignatureStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the log's checkpoints to its witnesses (C2SP tlog-witness), off the append path: a
 * thread of its own sends each new checkpoint with a consistency proof from the size each witness
 * last cosigned, stores the verified cosignatures beside the checkpoint, and retries failures. A
 * checkpoint counts as published once {@code quorum} witnesses cosigned it. A witness that holds a
 * larger tree than the database (the tail cut back, or the log emptied) is a {@link
 * Verification.Kind#ROLLBACK}; one whose tree the database's does not extend is a {@link
 * Verification.Kind#FORK}: both are kept as {@link #divergence()} and reported by {@link
 * AuditLog#verify()}.
 */
public final class AuditPublication implements AutoCloseable {
  /** One witness as the log last saw it. */
  public record WitnessState(
      String name, long cosignedSize, long failures, String lastError, Instant lastSuccess) {}

  private static final Logger log = LoggerFactory.getLogger(AuditPublication.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final AuditLog auditLog;
  private final CosignatureStore cosignatures;
  private final List<WitnessEndpoint> witnesses;
  private final int quorum;
  private final Duration interval;
  private final HttpClient http;
  private final Map<String, WitnessState> states = new ConcurrentHashMap<>();
  private final AtomicReference<Verification.Failure> divergence = new AtomicReference<>();
  private final AtomicLong failures = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;
  private String lastLogged;

  AuditPublication(
      AuditLog auditLog,
      CosignatureStore cosignatures,
      List<WitnessEndpoint> witnesses,
      int quorum,
      Duration interval) {
    this.auditLog = auditLog;
    this.cosignatures = cosignatures;
    this.witnesses = List.copyOf(witnesses);
    this.quorum = quorum;
    this.interval = interval;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // witnesses speak HTTP/1.1; no h2c upgrade dance
            .connectTimeout(TIMEOUT)
            .build();
    for (WitnessEndpoint w : witnesses) {
      states.put(w.key().name(), new WitnessState(w.key().name(), -1, 0, null, null));
    }
    this.thread = new Thread(this::run, "privacykit-audit-publication");
    this.thread.setDaemon(true);
  }

  void start() {
    if (!witnesses.isEmpty()) {
      thread.start();
    }
  }

  /** Whether any witness is configured. */
  public boolean enabled() {
    return !witnesses.isEmpty();
  }

  /** How many witnesses must cosign a checkpoint for it to count as published. */
  public int quorum() {
    return quorum;
  }

  /** The largest checkpoint size {@link #quorum()} witnesses cosigned, and when. */
  public Optional<PublishedCheckpoint> published() {
    return cosignatures.published(quorum);
  }

  /** Each witness's state: the size it cosigned last, failures, the last error. */
  public List<WitnessState> witnesses() {
    return witnesses.stream().map(w -> states.get(w.key().name())).toList();
  }

  /** Failed publication attempts since start. */
  public long failures() {
    return failures.get();
  }

  /** A rollback or fork that a witness revealed, if any. */
  public Optional<Verification.Failure> divergence() {
    return Optional.ofNullable(divergence.get());
  }

  /** The cosignature lines stored for the checkpoint of {@code size}. */
  public List<String> cosignatures(long size) {
    return cosignatures.lines(size);
  }

  /**
   * Sends the latest checkpoint to every witness now (signing one of the head when there is none)
   * and waits for their answers; what {@link AuditLog#verify()} calls to compare the database with
   * what was published.
   */
  public synchronized void publishNow() {
    if (witnesses.isEmpty()) {
      return;
    }
    // Each round judges the database as it is now: a divergence found earlier is kept only if
    // this round finds it again.
    divergence.set(null);
    Checkpoint checkpoint = auditLog.latestCheckpoint().orElseGet(auditLog::checkpoint);
    if (checkpoint.size() < auditLog.size()) {
      checkpoint = auditLog.checkpoint();
    }
    for (WitnessEndpoint witness : witnesses) {
      publish(witness, checkpoint);
    }
  }

  private void run() {
    while (!closing) {
      try {
        Checkpoint latest = auditLog.latestCheckpoint().orElse(null);
        boolean behind =
            latest == null
                || states.values().stream().anyMatch(s -> s.cosignedSize() < latest.size());
        if (behind) {
          publishNow();
        }
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        log.warn("audit publication: {}", e.getClass().getSimpleName());
        sleepQuietly();
      }
    }
  }

  private void publish(WitnessEndpoint witness, Checkpoint latest) {
    String name = witness.key().name();
    WitnessState state = states.get(name);
    long old = Math.max(0, state.cosignedSize());
    Checkpoint checkpoint = latest;
    for (int attempt = 0; attempt < 3; attempt++) {
      if (old > checkpoint.size()) {
        if (auditLog.size() < old) {
          diverged(Verification.Kind.ROLLBACK, name, old, checkpoint);
          return;
        }
        // Another process sharing the database published a newer checkpoint: catch up to it.
        checkpoint = auditLog.checkpoint();
        continue;
      }
      HttpResponse<String> answer;
      try {
        answer = send(witness, old, checkpoint);
      } catch (IOException e) {
        failed(state, "unreachable");
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      String type = answer.headers().firstValue("Content-Type").orElse("");
      switch (answer.statusCode()) {
        case 200 -> {
          accept(witness, state, checkpoint, answer.body());
          return;
        }
        case 409 -> {
          if (!type.startsWith("text/x.tlog.size")) {
            diverged(Verification.Kind.FORK, name, old, checkpoint);
            return;
          }
          long held;
          try {
            held = Long.parseLong(answer.body().strip());
          } catch (NumberFormatException e) {
            failed(state, "bad answer");
            return;
          }
          states.put(
              name, new WitnessState(name, held, state.failures(), null, state.lastSuccess()));
          state = states.get(name);
          old = held;
        }
        case 422 -> {
          diverged(Verification.Kind.FORK, name, old, checkpoint);
          return;
        }
        default -> {
          failed(state, "status " + answer.statusCode());
          return;
        }
      }
    }
  }

  private HttpResponse<String> send(WitnessEndpoint witness, long old, Checkpoint checkpoint)
      throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder("old ").append(old).append('\n');
    if (old > 0 && old < checkpoint.size()) {
      for (byte[] hash : auditLog.consistencyProof(old, checkpoint.size()).path()) {
        body.append(Base64.getEncoder().encodeToString(hash)).append('\n');
      }
    }
    body.append('\n').append(checkpoint.note());
    HttpRequest request =
        HttpRequest.newBuilder(witness.addCheckpoint())
            .timeout(TIMEOUT)
            .header("Content-Type", "text/plain; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private void accept(
      WitnessEndpoint witness, WitnessState state, Checkpoint checkpoint, String answer) {
    String body = Witness.bodyOf(checkpoint.note());
    for (String line : answer.split("\n")) {
      OptionalLong at = witness.key().verify(body, line);
      if (at.isPresent()) {
        cosignatures.insert(
            checkpoint.size(), witness.key().name(), line, Instant.ofEpochSecond(at.getAsLong()));
        String name = witness.key().name();
        states.put(
            name, new WitnessState(name, checkpoint.size(), state.failures(), null, Instant.now()));
        return;
      }
    }
    failed(state, "no valid cosignature in the answer");
  }

  private void failed(WitnessState state, String error) {
    failures.incrementAndGet();
    states.put(
        state.name(),
        new WitnessState(
            state.name(), state.cosignedSize(), state.failures() + 1, error, state.lastSuccess()));
  }

  private void diverged(Verification.Kind kind, String witness, long held, Checkpoint ours) {
    String published =
        "witness "
            + witness
            + " cosigned size "
            + held
            + rootOf(held).map(r -> " root " + r).orElse("");
    String database = "database head size " + ours.size() + " root " + ours.rootHex();
    Verification.Failure failure =
        new Verification.Failure(Math.min(held, ours.size()), kind, database, published, -1);
    divergence.compareAndSet(null, failure);
    String said = kind + " " + published;
    if (!said.equals(lastLogged)) {
      lastLogged = said;
      log.error("audit log {}: {} ({})", kind, published, database);
    }
  }

  /** The root of a checkpoint the witnesses cosigned, if the database still has it. */
  private Optional<String> rootOf(long size) {
    return auditLog.checkpointAt(size).map(Checkpoint::rootHex);
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Compares the database with a checkpoint saved outside it earlier (as {@code audit checkpoint}
   * printed it): one not signed by the log's key is a SIGNATURE failure, one larger than the
   * database's head a ROLLBACK, one the database's tree does not extend a FORK. Call after {@link
   * AuditLog#verify()} found the database consistent in itself.
   */
  public Optional<Verification.Failure> compareWith(String trustedNote) {
    Checkpoint trusted;
    try {
      trusted = Checkpoint.verify(trustedNote, auditLog.verifierKey());
    } catch (AuditLogException e) {
      return Optional.of(
          new Verification.Failure(
              0, Verification.Kind.SIGNATURE, "the trusted checkpoint", e.getMessage(), -1));
    }
    Checkpoint head = auditLog.checkpoint();
    String saved = "trusted checkpoint size " + trusted.size() + " root " + trusted.rootHex();
    String database = "database head size " + head.size() + " root " + head.rootHex();
    if (trusted.size() > head.size()) {
      return Optional.of(
          new Verification.Failure(head.size(), Verification.Kind.ROLLBACK, database, saved, -1));
    }
    boolean extended =
        trusted.size() == head.size()
            ? java.util.Arrays.equals(trusted.root(), head.root())
            : auditLog.consistencyProof(trusted.size(), head.size()).verify(trusted, head);
    return extended
        ? Optional.empty()
        : Optional.of(
            new Verification.Failure(trusted.size(), Verification.Kind.FORK, database, saved, -1));
  }

  /** Sends the final checkpoint (best effort), then stops. */
  void closeAfterLastPublication() {
    closing = true;
    thread.interrupt();
    if (enabled()) {
      try {
        publishNow();
      } catch (RuntimeException e) {
        log.warn("audit publication: final checkpoint not sent: {}", e.getClass().getSimpleName());
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    thread.interrupt();
  }
}
