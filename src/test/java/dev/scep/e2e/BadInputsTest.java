package dev.scep.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Runs the {@code bad-inputs/} corpus (test resources): one folder per case of the hardening issue, holding the input
 * files and a {@code case.properties} that says what the case is, how to run it and what the right outcome is. Each
 * case runs the command line in-process on a fresh copy of its folder; {@code bad-inputs/README.md} documents the keys.
 */
class BadInputsTest {
    @TempDir
    static Path fixtures;

    /** What the placeholders in a case's arguments stand for. */
    static final Map<String, String> PLACES = new HashMap<>();

    @BeforeAll
    static void fixtures() throws IOException {
        Path shared = SharedData.dir();
        Path region = shared.resolve("hg38-chr16-alpha-globin");
        PLACES.put("shared", shared.toString());
        PLACES.put("region.fa", region.resolve("region.fa").toString());
        PLACES.put("refseq.gtf", region.resolve("refseq.gtf").toString());
        Path model = fixtures.resolve("xpresso.scep");
        expectOk(Cli.run("import-keras", shared.resolve("xpresso-pretrained/xpresso_human.h5"), "--out", model));
        PLACES.put("model", model.toString());
        expectOk(Cli.run("prepare", "--fasta", region.resolve("region.fa"), "--gtf", region.resolve("refseq.gtf"),
                "--keep-noncoding", "--out", fixtures.resolve("ag.sced"), "--windows-out", fixtures.resolve("ag.fa"),
                "--halflife-out", fixtures.resolve("ag.tsv")));
        PLACES.put("dataset", fixtures.resolve("ag.sced").toString());
        PLACES.put("windows", fixtures.resolve("ag.fa").toString());
        PLACES.put("halflife", fixtures.resolve("ag.tsv").toString());
        Path sim = fixtures.resolve("sim");
        expectOk(Cli.run("simulate", "--out", sim, "--genes", 40, "--populations", 2, "--cells", 40,
                "--jaspar", shared.resolve("jaspar-pfm")));
        expectOk(Cli.run("prepare", "--fasta", sim.resolve("genome.fa"), "--gtf", sim.resolve("genes.gtf"),
                "--expression", sim.resolve("matrix.mtx.gz"), "--cells", sim.resolve("cells.tsv"),
                "--population-column", "population", "--all-cells", "--out", fixtures.resolve("sim.sced")));
        PLACES.put("sim", sim.toString());
        PLACES.put("simdataset", fixtures.resolve("sim.sced").toString());
    }

    private static void expectOk(Cli c) {
        assertThat(c.exitCode()).as(c.err()).isZero();
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException, URISyntaxException {
        Path root = Path.of(BadInputsTest.class.getResource("/bad-inputs").toURI());
        List<Path> cases;
        try (Stream<Path> s = Files.list(root)) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(cases).hasSizeGreaterThan(40);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> run(c)));
    }

    private void run(Path caseDir) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(caseDir.resolve("case.properties"))) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        for (String key : List.of("case", "class", "outcome")) {
            assertThat(p.getProperty(key)).as(caseDir + ": " + key).isNotBlank();
        }
        if (p.getProperty("covered-by") != null) {
            abort("needs programmatic set-up; covered by " + p.getProperty("covered-by"));
        }
        Path work = Files.createTempDirectory(fixtures, caseDir.getFileName().toString());
        try (Stream<Path> files = Files.list(caseDir)) {
            for (Path f : files.toList()) {
                Files.copy(f, work.resolve(f.getFileName()));
            }
        }
        Map<String, String> places = new HashMap<>(PLACES);
        places.put("work", work.toString());
        List<Thread> readers = new ArrayList<>();
        Map<String, java.io.ByteArrayOutputStream> drained = new HashMap<>();
        for (String step : steps(p.getProperty("setup"))) {
            setup(expand(step, places), work, readers, drained);
        }
        for (int i = 1; p.getProperty("before." + i) != null; i++) {
            Cli b = Cli.run((Object[]) args(p.getProperty("before." + i), places));
            assertThat(b.exitCode()).as("before." + i + ": " + b.err()).isZero();
        }
        Map<String, byte[]> snapshot = new HashMap<>();
        for (String f : words(p.getProperty("unchanged"))) {
            snapshot.put(f, Files.readAllBytes(work.resolve(f)));
        }
        String[] argv = args(p.getProperty("run"), places);
        Cli c = Boolean.parseBoolean(p.getProperty("process")) ? inProcessOfItsOwn(argv, work) : Cli.run((Object[]) argv);
        for (Thread t : readers) {
            t.join(10_000);
        }
        String where = caseDir.getFileName() + ": " + p.getProperty("case") + "\nstdout: " + c.out() + "\nstderr: " + c.err();
        assertThat(c.exitCode()).as(where).isEqualTo(Integer.parseInt(p.getProperty("exit")));
        for (String s : parts(p.getProperty("stderr"))) {
            assertThat(c.err()).as(where).contains(expand(s, places));
        }
        for (String s : parts(p.getProperty("stdout"))) {
            assertThat(c.out()).as(where).contains(expand(s, places));
        }
        if (c.exitCode() != 0) {
            // one line that says what is wrong (after any progress lines), never a stack trace
            assertThat(c.err().lines().filter(l -> l.startsWith("scep: error: ")).count()).as(where).isEqualTo(1);
        }
        assertThat(c.err()).as(where).doesNotContain("\tat ", "Exception:", "Error:");
        for (Map.Entry<String, byte[]> e : snapshot.entrySet()) {
            assertThat(Files.readAllBytes(work.resolve(e.getKey()))).as(where + "\n" + e.getKey() + " changed").isEqualTo(e.getValue());
        }
        for (String f : words(p.getProperty("absent"))) {
            assertThat(Files.exists(work.resolve(expand(f, places)), LinkOption.NOFOLLOW_LINKS)).as(where + "\n" + f + " exists").isFalse();
        }
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".") && n.endsWith("tmp")))
                    .as(where + "\ntemporary files left behind").isEmpty();
        }
        for (String check : steps(p.getProperty("checks"))) {
            check(expand(check, places), work, drained, where);
        }
    }

    /** Runs scep as a process of its own, as a user's shell would: for what only shows when the JVM exits. */
    private static Cli inProcessOfItsOwn(String[] argv, Path work) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.scep.cli.ScepCommand"));
        cmd.addAll(List.of(argv));
        Path out = work.resolve(".stdout");
        Path err = work.resolve(".stderr");
        Process proc = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = proc.waitFor();
        Cli c = new Cli(code, Tables.text(out), Tables.text(err).lines()
                .filter(l -> !l.startsWith("WARNING: Using incubator")).collect(java.util.stream.Collectors.joining("\n")));
        Files.delete(out);
        Files.delete(err);
        return c;
    }

    /** Set-up verbs: files that cannot be stored in a resource folder (links, FIFOs, patched binaries, big files). */
    private static void setup(String step, Path work, List<Thread> readers, Map<String, java.io.ByteArrayOutputStream> drained)
            throws IOException, InterruptedException {
        String[] w = step.split(" ");
        switch (w[0]) {
            case "copy" -> Files.copy(Path.of(w[1]), work.resolve(w[2]));
            case "symlink" -> Files.createSymbolicLink(work.resolve(w[1]), Path.of(w[2]));
            case "hardlink" -> Files.createLink(work.resolve(w[1]), work.resolve(w[2]));
            case "mkdir" -> Files.createDirectories(work.resolve(w[1]));
            case "device" -> {   // device NAME MINOR: a private copy of a memory device (1, MINOR), so /dev itself is never at risk
                Process mknod = new ProcessBuilder("mknod", "-m", "666", work.resolve(w[1]).toString(), "c", "1", w[2])
                        .redirectErrorStream(true).start();
                String said = new String(mknod.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (mknod.waitFor() != 0) {
                    abort("making a device node needs root (CAP_MKNOD): " + said.strip());
                }
            }
            case "fifo" -> {
                Path fifo = work.resolve(w[1]);
                assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
                if (w.length > 2 && w[2].equals("drained")) {
                    // a reader on the other end, as a shell's `cat fifo` would be
                    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                    drained.put(w[1], got);
                    Thread t = new Thread(() -> {
                        try (InputStream in = Files.newInputStream(fifo)) {
                            in.transferTo(got);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                    readers.add(t);
                }
            }
            case "repeat" -> {   // repeat FILE LINE TIMES: a file too big to store
                StringBuilder sb = new StringBuilder();
                String line = w[2].replace("\\t", "\t") + "\n";
                for (int i = 0, n = Integer.parseInt(w[3]); i < n; i++) {
                    sb.append(line);
                }
                Files.writeString(work.resolve(w[1]), sb, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
            }
            case "patch" -> {    // patch FILE OFFSET HEX: raw bytes at a file offset (no checksum fixed)
                patch(work.resolve(w[1]), Long.parseLong(w[2]), HexFormat.of().parseHex(w[3]));
            }
            case "patch-section" -> {   // patch-section FILE TAG OFFSET HEX: bytes in a section's payload, checksum fixed
                patchSection(work.resolve(w[1]), w[2], Long.parseLong(w[3]), HexFormat.of().parseHex(w[4]));
            }
            default -> throw new IllegalArgumentException("unknown set-up verb " + w[0]);
        }
    }

    private static void check(String check, Path work, Map<String, java.io.ByteArrayOutputStream> drained, String where)
            throws IOException {
        String[] w = check.split(" ", 3);
        Path f = w.length > 1 ? work.resolve(w[1]) : null;
        switch (w[0]) {
            case "char-device" -> assertThat(Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS))
                    .as(where + "\n" + f + " is no longer a character device").matches(m -> ((Integer) m & 0170000) == 0020000);
            case "fifo" -> assertThat(Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS))
                    .as(where + "\n" + f + " is no longer a FIFO").matches(m -> ((Integer) m & 0170000) == 0010000);
            case "symlink" -> assertThat(Files.isSymbolicLink(f)).as(where + "\n" + f + " is no longer a symbolic link").isTrue();
            case "drained-contains" -> assertThat(drained.get(w[1]).toString(StandardCharsets.UTF_8)).as(where).contains(w[2]);
            case "contains" -> assertThat(Tables.text(f)).as(where).contains(w[2].replace("\\t", "\t"));
            case "lacks" -> assertThat(Tables.text(f)).as(where).doesNotContain(w[2].replace("\\t", "\t"));
            case "mode-follows-umask" -> {
                int umask = umask();
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
                int mode = 0;
                for (PosixFilePermission perm : perms) {
                    mode |= 1 << (8 - perm.ordinal());
                }
                assertThat(Integer.toOctalString(mode)).as(where + "\nmode of " + f + " with umask " + Integer.toOctalString(umask))
                        .isEqualTo(Integer.toOctalString(0666 & ~umask));
            }
            default -> throw new IllegalArgumentException("unknown check " + w[0]);
        }
    }

    /** This process's umask, as the files it creates see it. */
    static int umask() throws IOException {
        Path probe = Files.createTempFile(fixtures, "umask", ".probe");
        Files.delete(probe);
        Files.newOutputStream(probe).close();   // created with 0666 less the umask, as scep's outputs must be
        int mode = 0;
        for (PosixFilePermission perm : Files.getPosixFilePermissions(probe)) {
            mode |= 1 << (8 - perm.ordinal());
        }
        Files.delete(probe);
        return ~mode & 0666;
    }

    private static void patch(Path file, long offset, byte[] bytes) throws IOException {
        byte[] all = Files.readAllBytes(file);
        System.arraycopy(bytes, 0, all, (int) offset, bytes.length);
        Files.write(file, all);
    }

    /** Patches a section of a .scep/.sced container and recomputes its CRC32C, so only the field checks can object. */
    private static void patchSection(Path file, String tag, long offset, byte[] bytes) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int sections = b.getInt(12);
        long pos = 32;
        for (int i = 0; i < sections; i++) {
            long payload = (pos + 16 + 63) / 64 * 64;
            int head = (int) payload - 16;
            String t = new String(all, head, 4, StandardCharsets.US_ASCII);
            long length = b.getLong(head + 8);
            if (t.equals(tag)) {
                System.arraycopy(bytes, 0, all, (int) (payload + offset), bytes.length);
                CRC32C crc = new CRC32C();
                crc.update(all, head, (int) (16 + length));
                b.putInt((int) (payload + length), (int) crc.getValue());
                Files.write(file, all);
                return;
            }
            pos = payload + length + 4;
        }
        throw new IllegalArgumentException("no section " + tag + " in " + file);
    }

    private static String expand(String s, Map<String, String> places) {
        for (Map.Entry<String, String> e : places.entrySet()) {
            s = s.replace("{" + e.getKey() + "}", e.getValue());
        }
        return s;
    }

    private static String[] args(String line, Map<String, String> places) {
        return Arrays.stream(words(line).toArray(String[]::new)).map(a -> expand(a, places)).toArray(String[]::new);
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.strip().split("\\s+"));
    }

    private static List<String> steps(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.stream(s.split(";")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    /** Expected texts, separated by '||': each must appear. */
    private static List<String> parts(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.stream(s.split("\\|\\|")).map(String::strip).toList();
    }
}
