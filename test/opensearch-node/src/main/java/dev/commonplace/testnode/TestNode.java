package dev.commonplace.testnode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.transport.TransportAddress;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/**
 * A single-node, in-process OpenSearch server for tests.
 *
 * <pre>
 *   java -Xms512m -Xmx512m -cp 'opensearch-test-node.jar:lib/*' dev.commonplace.testnode.TestNode HOME_DIR [HTTP_PORT]
 * </pre>
 *
 * HOME_DIR holds path.home, data/ and logs/ (created if missing). HTTP_PORT defaults to 0 (any free
 * port). Once the HTTP port is bound and the node has elected itself, one line goes to stdout:
 * {@code OPENSEARCH_READY http://127.0.0.1:PORT}. The node closes and the JVM exits when stdin reaches
 * EOF (the parent died or closed the pipe) or on SIGTERM/SIGINT. Logs go to stderr (level WARN unless
 * -Dtestnode.log.level=INFO). Plain HTTP, no security plugin, bound to 127.0.0.1 only. With
 * -Dtestnode.delete.home=true HOME_DIR is removed on exit (also when the parent was killed).
 */
public final class TestNode {

    /** Node with classpath plugins: the protected constructor is the supported way to embed them. */
    static final class EmbeddedNode extends Node {
        EmbeddedNode(Environment environment, Collection<Class<? extends Plugin>> classpathPlugins) {
            super(environment, classpathPlugins, true);
        }
    }

    private static final String[] PLUGIN_CLASSES = {
        "org.opensearch.transport.Netty4Plugin", // HTTP + transport (required)
        "org.opensearch.analysis.common.CommonAnalysisPlugin", // edge_ngram, asciifolding, ...
        "org.opensearch.painless.PainlessPlugin", // painless scripts
        "org.opensearch.index.reindex.ReindexPlugin", // _update_by_query, _delete_by_query
    };

    private TestNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: TestNode HOME_DIR [HTTP_PORT]");
            System.exit(2);
        }
        // What the OpenSearch distribution's jvm.options would set; harmless if already given with -D.
        setDefaultProperty("io.netty.noUnsafe", "true");
        setDefaultProperty("io.netty.noKeySetOptimization", "true");
        setDefaultProperty("io.netty.recycler.maxCapacityPerThread", "0");
        setDefaultProperty("io.netty.allocator.numDirectArenas", "0");
        setDefaultProperty("log4j.shutdownHookEnabled", "false");
        setDefaultProperty("log4j2.disable.jmx", "true");
        setDefaultProperty("log4j2.formatMsgNoLookups", "true");
        setDefaultProperty("opensearch.set.netty.runtime.available.processors", "false");

        final long t0 = System.nanoTime();
        final Path home = Paths.get(args[0]).toAbsolutePath();
        final int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));

        final Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", System.getProperty("testnode.cluster.name", "commonplace-test"))
            .put("node.name", "testnode")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", "0") // transport picks a free port; nothing connects to it
            .put("discovery.type", "single-node")
            .put("cluster.routing.allocation.disk.threshold_enabled", false) // CI disks may be nearly full
            .put("bootstrap.memory_lock", false)
            .put("action.destructive_requires_name", false) // tests may DELETE /prefix-*
            .build();

        final Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), home.resolve("config"), () -> "testnode");

        final List<Class<? extends Plugin>> plugins = new ArrayList<>();
        for (String name : PLUGIN_CLASSES) {
            try {
                plugins.add(Class.forName(name).asSubclass(Plugin.class));
            } catch (ClassNotFoundException | LinkageError e) {
                if (name.endsWith("Netty4Plugin")) {
                    throw new IllegalStateException("transport-netty4-client is not on the classpath", e);
                }
                System.err.println("TestNode: plugin " + name + " not loaded: " + e);
            }
        }

        final Node node = new EmbeddedNode(environment, plugins);
        final AtomicBoolean closed = new AtomicBoolean();
        final Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    node.close();
                    node.awaitClose(10, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException | RuntimeException e) {
                    System.err.println("TestNode: error while closing: " + e);
                }
                if (Boolean.getBoolean("testnode.delete.home")) {
                    deleteRecursively(home);
                }
            }
        };
        // SIGTERM / SIGINT / System.exit all run shutdown hooks.
        Runtime.getRuntime().addShutdownHook(new Thread(close, "testnode-shutdown"));

        // Stdin EOF means the parent is gone (or asked us to stop): exit, which closes the node.
        final Thread stdinWatcher = new Thread(() -> {
            final InputStream in = System.in;
            final byte[] buf = new byte[256];
            try {
                while (in.read(buf) >= 0) {
                    // ignore input
                }
            } catch (IOException ignored) {
                // treat a broken stdin like EOF
            }
            System.err.println("TestNode: stdin closed, shutting down");
            System.exit(0);
        }, "testnode-stdin-watcher");
        stdinWatcher.setDaemon(true);
        stdinWatcher.start();

        node.start(); // returns once the node has joined (elected) the single-node cluster

        // One node: replicas would stay unassigned and every index yellow. The default replica count is
        // read from the cluster state (not from node settings), so set it as a persistent cluster setting.
        node.client().admin().cluster().prepareUpdateSettings()
            .setPersistentSettings(Settings.builder().put("cluster.default_number_of_replicas", 0))
            .get(TimeValue.timeValueSeconds(30));

        final HttpServerTransport http = node.injector().getInstance(HttpServerTransport.class);
        final TransportAddress address = http.boundAddress().publishAddress();
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.err.println("TestNode: OpenSearch " + org.opensearch.Version.CURRENT + " started in " + ms + " ms, plugins " + plugins);
        System.out.println("OPENSEARCH_READY http://127.0.0.1:" + address.getPort());
        System.out.flush();

        // Keep the main thread alive; the node's threads are non-daemon anyway, this just makes it explicit.
        Thread.currentThread().join();
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("TestNode: could not delete " + root + ": " + e);
        }
    }

    private static void setDefaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
