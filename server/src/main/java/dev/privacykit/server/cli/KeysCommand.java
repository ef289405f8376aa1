package dev.privacykit.server.cli;

import dev.privacykit.audit.Action;
import dev.privacykit.audit.AuditEntry;
import dev.privacykit.crypto.KeyVersion;
import dev.privacykit.crypto.RewrapJob;
import dev.privacykit.server.Services;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code privacykit keys rotate|rewrap}. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Rotate the data key and re-encrypt old ciphertexts.",
    subcommands = {KeysCommand.Rotate.class, KeysCommand.Rewrap.class})
public final class KeysCommand {

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = "Make a new primary data key; old ones still decrypt.")
  static final class Rotate extends ServicesCommand {
    @Override
    int run(Services services) throws Exception {
      PrintWriter out = out();
      KeyVersion fresh = services.keyring.rotate();
      services
          .audit
          .append(AuditEntry.builder("_", "privacykit-cli", Action.KEY_ROTATED).build())
          .join();
      out.println(
          "new primary key "
              + fresh.idHex()
              + "; "
              + services.keyring.versions().size()
              + " versions kept");
      return 0;
    }
  }

  @Command(
      name = "rewrap",
      mixinStandardHelpOptions = true,
      description = "Re-encrypt a column of your table under the primary key, resumably.")
  static final class Rewrap extends ServicesCommand {
    @Option(names = "--table", required = true, description = "Table holding the ciphertexts.")
    String table;

    @Option(
        names = "--id-column",
        defaultValue = "id",
        description = "Row id column (default ${DEFAULT-VALUE}).")
    String idColumn;

    @Option(names = "--column", required = true, description = "Column of base64url ciphertexts.")
    String column;

    @Option(names = "--tenant", required = true, description = "Tenant the rows belong to.")
    String tenant;

    @Override
    int run(Services services) throws Exception {
      PrintWriter out = out();
      RewrapJob.Progress progress =
          RewrapJob.builder(services.database, "cli:" + table + "." + column)
              .table(table)
              .idColumn(idColumn)
              .tenant(tenant)
              .column(column, services.randomized)
              .build()
              .run();
      out.println(
          "rewrap "
              + progress.name()
              + ": scanned "
              + progress.rowsScanned()
              + ", rewrapped "
              + progress.rowsRewrapped()
              + ", failed "
              + progress.rowsFailed());
      return progress.rowsFailed() == 0 ? 0 : 1;
    }
  }
}
