package dev.privacykit.server.cli;

import dev.privacykit.audit.Cosigner;
import dev.privacykit.audit.Witness;
import dev.privacykit.server.WitnessServer;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code privacykit witness serve|key}: a C2SP tlog-witness that a third party (an auditor, a DPO,
 * a regulator, a second company) runs for a PrivacyKit log, so the log's history is remembered
 * outside the database it lives in. Its cosigner key and state are files in {@code --dir}.
 */
@Command(
    name = "witness",
    mixinStandardHelpOptions = true,
    description = "Run a witness that cosigns audit log checkpoints.",
    subcommands = {WitnessCommand.Serve.class, WitnessCommand.Key.class})
public final class WitnessCommand {
  static final String KEY_FILE = "cosigner.key";

  /** Where a witness keeps its key and state, and its name. */
  static final class Identity {
    @Option(names = "--dir", required = true, description = "The witness's key and state.")
    Path directory;

    @Option(
        names = "--name",
        required = true,
        description = "Its name, such as witness.example/w1.")
    String name;

    Cosigner cosigner() throws IOException {
      return Cosigner.load(directory.resolve(KEY_FILE), name);
    }
  }

  @Command(
      name = "key",
      mixinStandardHelpOptions = true,
      description = "Print the witness's verifier key (making its key on first use).")
  static final class Key implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Identity identity;

    @Override
    public Integer call() throws Exception {
      spec.commandLine().getOut().println(identity.cosigner().verifierKey());
      return 0;
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Serve POST /add-checkpoint for the logs named with --log.")
  static final class Serve implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Identity identity;

    @Option(
        names = "--host",
        defaultValue = "127.0.0.1",
        description = "Address (default ${DEFAULT-VALUE}).")
    String host;

    @Option(
        names = "--port",
        defaultValue = "8090",
        description = "Port, 0 for a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
        names = "--log",
        required = true,
        description = "A log to witness: ORIGIN=VERIFIER_KEY (repeatable).")
    List<String> logs;

    @Override
    public Integer call() throws Exception {
      Map<String, String> keys = new LinkedHashMap<>();
      for (String log : logs) {
        int eq = log.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--log is ORIGIN=VERIFIER_KEY");
        }
        keys.put(log.substring(0, eq), log.substring(eq + 1));
      }
      Witness witness = Witness.open(identity.directory, identity.cosigner(), keys);
      CountDownLatch stopped = new CountDownLatch(1);
      Javalin app = WitnessServer.start(witness, host, port);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    app.stop();
                    stopped.countDown();
                  },
                  "privacykit-witness-shutdown"));
      spec.commandLine()
          .getOut()
          .println(
              "witness "
                  + identity.name
                  + " on http://"
                  + host
                  + ":"
                  + app.port()
                  + "/add-checkpoint, key "
                  + witness.verifierKey());
      spec.commandLine().getOut().flush();
      stopped.await();
      return 0;
    }
  }
}
