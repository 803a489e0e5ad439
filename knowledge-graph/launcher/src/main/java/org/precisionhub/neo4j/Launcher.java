package org.precisionhub.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Embedded Neo4j Community with a Bolt listener, for development and tests of Precision Hub.
 *
 * <p>Usage: {@code Launcher <dataDir> <boltPort> [--exit-on-stdin-eof]} (or env NEO4J_DATA_DIR / NEO4J_BOLT_PORT).
 * Port 0 lets the OS choose; the chosen port is reported on the ready line. stdout carries exactly one
 * line, {@code NEO4J_READY bolt://127.0.0.1:<port>}, so a parent process can wait for it; Neo4j's own logs go
 * to {@code <dataDir>/logs}. Problems go to stderr with exit code 1 (bad arguments: 2).
 */
public final class Launcher {
  private static final String HOST = "127.0.0.1";
  private static final String READY_PREFIX = "NEO4J_READY ";
  private static volatile boolean hookInstalled;

  private Launcher() {}

  public static void main(String[] args) {
    List<String> positional = new ArrayList<>();
    boolean exitOnStdinEof = false;
    for (String arg : args) {
      if (arg.equals("--exit-on-stdin-eof")) {
        exitOnStdinEof = true;
      } else {
        positional.add(arg);
      }
    }
    String dataArg = positional.size() > 0 ? positional.get(0) : System.getenv("NEO4J_DATA_DIR");
    String portArg = positional.size() > 1 ? positional.get(1) : System.getenv("NEO4J_BOLT_PORT");
    if (dataArg == null || dataArg.isBlank()) {
      fail(2, "usage: Launcher <dataDir> <boltPort> [--exit-on-stdin-eof] (or set NEO4J_DATA_DIR)", null);
    }
    int port = 7687;
    if (portArg != null && !portArg.isBlank()) {
      try {
        port = Integer.parseInt(portArg.trim());
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65535) {
        fail(2, "invalid Bolt port '" + portArg + "': expected 0-65535", null);
      }
    }

    Path home = Path.of(dataArg).toAbsolutePath().normalize();
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      fail(1, "cannot create data folder " + home + ": " + e.getMessage(), e);
    }

    DatabaseManagementService service = null;
    try {
      service = new DatabaseManagementServiceBuilder(home)
          .setConfig(BoltConnector.enabled, true)
          .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
          // Embedded never serves HTTP, but an explicit off keeps it that way if the defaults change.
          .setConfig(HttpConnector.enabled, false)
          .setConfig(HttpsConnector.enabled, false)
          .setConfig(GraphDatabaseSettings.auth_enabled, false)
          .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(64))
          // Test data folders live in /tmp; preallocating 256 MB transaction logs per run wastes disk.
          .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
          // No internet here: usage reporting would only stall on DNS/connect timeouts.
          .setConfig(GraphDatabaseSettings.udc_enabled, false)
          .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
          // Defaults (netty quiet 5 s / timeout 15 s, Bolt pools 5 min) make every stop take seconds;
          // clients are local and disposable, so draining them briefly is enough.
          .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
          .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(1))
          .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
          .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
          .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(1))
          .build();
    } catch (Throwable e) {
      fail(1, "Neo4j failed to start in " + home + ": " + describe(e), e);
    }

    DatabaseManagementService started = service;
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM/SIGINT run this hook; shutdown() checkpoints so the next start needs no recovery.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        started.shutdown();
      } catch (Throwable e) {
        System.err.println("NEO4J_SHUTDOWN_ERROR " + describe(e));
      } finally {
        stopped.countDown();
      }
    }, "neo4j-shutdown"));
    hookInstalled = true;

    int boltPort;
    try {
      GraphDatabaseAPI db = (GraphDatabaseAPI) started.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
      if (!db.isAvailable(Duration.ofSeconds(60).toMillis())) {
        fail(1, "database 'neo4j' did not become available within 60 s (see " + home.resolve("logs") + ")", null);
      }
      HostnamePort bolt = db.getDependencyResolver()
          .resolveDependency(ConnectorPortRegister.class)
          .getLocalAddress(ConnectorType.BOLT);
      if (bolt == null) {
        fail(1, "Bolt connector did not register a listen address", null);
      }
      boltPort = bolt.getPort();
    } catch (Throwable e) {
      fail(1, "Neo4j started but is not usable: " + describe(e), e);
      return;
    }

    System.out.println(READY_PREFIX + "bolt://" + HOST + ":" + boltPort);
    System.out.flush();

    if (exitOnStdinEof) {
      // The parent holds our stdin open; EOF means it died (even by SIGKILL), so stop instead of orphaning.
      Thread watcher = new Thread(() -> {
        InputStream in = System.in;
        try {
          while (in.read() != -1) {
            // Input is ignored; only its end matters.
          }
        } catch (IOException ignored) {
          // A broken pipe means the same as EOF.
        }
        System.exit(0);
      }, "stdin-eof-watcher");
      watcher.setDaemon(true);
      watcher.start();
    }

    // Keep main alive so the JVM does not depend on whether Neo4j's own threads are daemons.
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String describe(Throwable e) {
    // Startup failures arrive wrapped in lifecycle exceptions; the root cause (BindException,
    // FileLockException, ...) is what tells the user what to fix.
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e) {
      sb.append(" | cause: ").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage());
    }
    return sb.toString();
  }

  private static void fail(int code, String message, Throwable e) {
    if (e != null) {
      e.printStackTrace(System.err);
    }
    // Last, so a parent that keeps only the tail of stderr still sees the one-line summary.
    System.err.println("NEO4J_ERROR " + message);
    System.err.flush();
    if (hookInstalled) {
      // The DBMS is up: exit so the hook shuts it down cleanly.
      System.exit(code);
    }
    // A failed build() has no service to shut down, and leftover non-daemon threads must not keep us alive.
    Runtime.getRuntime().halt(code);
  }
}
