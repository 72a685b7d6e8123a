package dev.scep.formats.io;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

/**
 * Every file scep writes goes through here, so one set of rules protects the user's files (DESIGN §7):
 * <ul>
 *   <li>an output that is the same file as one of the job's inputs (by file identity: hard links and symbolic links
 *       count, names do not) is refused before anything is written;</li>
 *   <li>a regular output is written to a hidden temporary file beside it and renamed over it on {@link #commit()},
 *       so a failure or an interrupted run leaves an existing file untouched (and the temporary file is removed,
 *       on SIGTERM too: {@link TemporaryFiles});</li>
 *   <li>a symbolic link is written through: the file it points to is replaced, the link stays a link;</li>
 *   <li>a target that exists but is not a regular file ({@code /dev/null}, {@code /dev/stdout}, a FIFO, a device) is
 *       written directly, never replaced by a regular file; a folder is an error;</li>
 *   <li>{@value #STDOUT} is standard output, written directly;</li>
 *   <li>a path to one of the process's open descriptors ({@code /dev/stdout} when the shell sent it to a file,
 *       {@code /dev/fd/3}) is written through that descriptor, never replaced;</li>
 *   <li>a name ending in {@code .gz} (or {@code .bgz}) is written bgzip-compressed ({@link #bgzf}), and committing it
 *       removes the index of the file it replaces ({@code .tbi}, {@code .csi});</li>
 *   <li>new files get the permissions of any new file (0666 less the umask);</li>
 *   <li>no folder is ever created: a missing folder is an error naming it.</li>
 * </ul>
 * Closing without committing abandons the output.
 *
 * <p>An {@code OutputFile} is not thread-safe: one thread writes it, or the callers synchronise.
 */
public final class OutputFile implements Closeable {
    /**
     * Whether a file of this name is written bgzip-compressed: its name ends in {@code .gz} or {@code .bgz}.
     *
     * @param target the output
     * @return true for BGZF
     */
    public static boolean bgzf(Path target) {
        Path name = target.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".gz") || n.endsWith(".bgz");
    }

    /** The name that means standard output, as the genomics tools read it. */
    public static final String STDOUT = "-";

    private final Path target;
    private final Path destination;
    private final Path tmp;                 // null when written directly
    private final FileChannel tmpChannel;   // null when written directly
    private final CountingStream counting;
    private final OutputStream buffered;
    private Writer writer;
    private boolean committed;
    private boolean closed;

    private OutputFile(Path target, Path destination, Path tmp, FileChannel tmpChannel, OutputStream raw) {
        this.target = target;
        this.destination = destination;
        this.tmp = tmp;
        this.tmpChannel = tmpChannel;
        this.counting = new CountingStream(raw, target);
        // a name ending in .gz is bgzip (BGZF: gzip that tabix can index and htsjdk can seek), as samtools and
        // bcftools write it; commit() writes its end-of-file block
        this.buffered = new BufferedOutputStream(bgzf(target)
                ? new htsjdk.samtools.util.BlockCompressedOutputStream(counting, (Path) null) : counting, 1 << 16);
    }

    /**
     * Opens {@code target} for writing.
     *
     * @param target the file to write (or an existing device or FIFO, written directly)
     * @param inputs the files the job reads (nulls are ignored); the target must not be any of them
     * @return the open output: write, then {@link #commit()}, then close
     * @throws OutputIsInputException when {@code target} is the same file as one of {@code inputs}
     * @throws java.nio.file.NoSuchFileException when the folder {@code target} would go into does not exist
     * @throws FileSystemException    when {@code target} is a folder
     * @throws IOException            when the temporary file cannot be created
     */
    public static OutputFile create(Path target, Path... inputs) throws IOException {
        return create(target, Arrays.asList(inputs));
    }

    /**
     * Opens {@code target} for writing; the same as {@link #create(Path, Path...)}.
     *
     * @param target the file to write (or an existing device or FIFO, written directly)
     * @param inputs the files the job reads (nulls are ignored); the target must not be any of them
     * @return the open output: write, then {@link #commit()}, then close
     * @throws OutputIsInputException when {@code target} is the same file as one of {@code inputs}
     * @throws java.nio.file.NoSuchFileException when the folder {@code target} would go into does not exist
     * @throws FileSystemException    when {@code target} is a folder
     * @throws IOException            when the temporary file cannot be created
     */
    public static OutputFile create(Path target, Collection<Path> inputs) throws IOException {
        Objects.requireNonNull(target, "target");
        if (target.toString().equals(STDOUT)) {
            // standard output (a table in a pipeline): written directly, never closed (the JVM owns it)
            return new OutputFile(target, target, null, null, keptOpen(new java.io.FileOutputStream(java.io.FileDescriptor.out)));
        }
        refuseInputs(target, inputs);
        OutputStream descriptor = descriptor(target);
        if (descriptor != null) {
            // an open descriptor of this process (/dev/stdout, /dev/fd/3): written through it, as the shell set it up
            // (appending after `>>`, after what came before in `{ ...; } > f`), never replaced by a new file
            return new OutputFile(target, target, null, null, descriptor);
        }
        if (Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target)) {
            // a device, FIFO or socket, also behind links (/dev/stdout -> /proc/self/fd/1 -> a pipe, which has no
            // path of its own): written in place, as a shell redirection would
            return new OutputFile(target, target, null, null, Files.newOutputStream(target, StandardOpenOption.WRITE));
        }
        Path destination = destination(target);
        if (Files.isDirectory(destination)) {
            throw new FileSystemException(target.toString(), null, "is a folder; give the name of a file to write");
        }
        Path tmp = TemporaryFiles.beside(destination, ".tmp");
        try {
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
            return new OutputFile(target, destination, tmp, ch, Channels.newOutputStream(ch));
        } catch (IOException | RuntimeException e) {
            TemporaryFiles.delete(tmp);
            throw e;
        }
    }

    /**
     * The stream for a path that names one of this process's open descriptors, itself or through a link
     * ({@code /dev/stdout}, {@code /dev/stderr}, {@code /dev/fd/N}, {@code /proc/self/fd/N}), or null for any other path.
     * Standard output and error are written through the JVM's own descriptors (their offset and append mode are the
     * shell's); another descriptor is opened for appending, which is where the shell left it.
     */
    private static OutputStream descriptor(Path target) throws IOException {
        Path p = target;
        for (int hops = 0; hops <= 40; hops++) {
            String name = p.toAbsolutePath().normalize().toString();
            if (name.equals("/dev/stdout") || name.matches("/(dev|proc/self)/fd/1")) {
                return keptOpen(new java.io.FileOutputStream(java.io.FileDescriptor.out));
            }
            if (name.equals("/dev/stderr") || name.matches("/(dev|proc/self)/fd/2")) {
                return keptOpen(new java.io.FileOutputStream(java.io.FileDescriptor.err));
            }
            if (name.matches("/(dev|proc/(self|\\d+))/fd/\\d+")) {
                return Files.newOutputStream(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            if (!Files.isSymbolicLink(p)) {
                return null;
            }
            Path link = Files.readSymbolicLink(p);
            Path parent = p.toAbsolutePath().getParent();
            p = parent == null ? link : parent.resolve(link);
        }
        return null;
    }

    /**
     * A view of a stream whose {@code close()} only flushes: for the JVM's standard output and error, and for writers
     * (htsjdk's) that close their stream when done while the {@code OutputFile} under it must stay open until
     * {@link #commit()}.
     *
     * @param out the stream
     * @return the view
     */
    public static OutputStream keptOpen(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                this.out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /**
     * Opens a table: as {@link #create(Path, Path...)}, with the command's {@link Provenance} lines written first.
     *
     * @param target the table to write
     * @param inputs the files the job reads (nulls are ignored)
     * @return the open output, the provenance written
     * @throws IOException as {@link #create(Path, Path...)}
     */
    public static OutputFile createTable(Path target, Path... inputs) throws IOException {
        return createTable(target, java.util.Arrays.asList(inputs));
    }

    /**
     * As {@link #createTable(Path, Path...)}.
     *
     * @param target the table to write
     * @param inputs the files the job reads (nulls are ignored)
     * @return the open output, the provenance written
     * @throws IOException as {@link #create(Path, Path...)}
     */
    public static OutputFile createTable(Path target, Collection<Path> inputs) throws IOException {
        OutputFile f = create(target, inputs);
        try {
            Provenance.write(f.writer());
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /**
     * Fails with an {@link OutputIsInputException} when {@code target} is the same file as one of {@code inputs}
     * (nulls ignored). Targets that do not exist yet cannot be an input.
     */
    static void refuseInputs(Path target, Collection<Path> inputs) throws IOException {
        for (Path input : inputs) {
            if (input != null && sameFile(target, input)) {
                throw new OutputIsInputException(target, input);
            }
        }
    }

    /**
     * Whether two paths name one existing file (hard and symbolic links count); a path that does not exist names none.
     *
     * @param a a path
     * @param b another path
     * @return true when both exist and are the same file
     * @throws IOException when their identity cannot be read
     */
    public static boolean sameFile(Path a, Path b) throws IOException {
        return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    }

    /**
     * An output folder: made when missing, but only when its parent exists (scep never creates a chain of folders
     * the user did not ask for). An existing folder is used as it is; a file of that name is an error.
     *
     * @param dir the folder
     * @return {@code dir}, which now exists
     * @throws FileSystemException when {@code dir} is a file
     * @throws java.nio.file.NoSuchFileException when the folder {@code dir} would go into does not exist
     * @throws IOException         when the folder cannot be made
     */
    public static Path folder(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (Files.exists(dir)) {
            throw new FileSystemException(dir.toString(), null, "is a file; give the name of a folder to write into");
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new NoSuchFileException(dir.toString(), null, "its folder " + parent + " does not exist");
        }
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
        return dir;
    }

    /** The file bytes end up in: the target, or the file its symbolic link (chain) points to. */
    private static Path destination(Path target) throws IOException {
        Path p = target;
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops > 40) {
                throw new FileSystemException(target.toString(), null, "too many levels of symbolic links");
            }
            Path link = Files.readSymbolicLink(p);
            Path parent = p.toAbsolutePath().getParent();
            p = parent == null ? link : parent.resolve(link);
        }
        Path dir = p.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(target.toString(), null, "its folder " + dir + " does not exist");
        }
        return p;
    }

    /** The path as the caller named it. */
    Path target() {
        return target;
    }

    /** Whether the output goes straight to a device or FIFO rather than through a temporary file. */
    boolean direct() {
        return tmp == null;
    }

    /**
     * The output as bytes. After writing to {@link #writer()}, call this again: it flushes the writer first.
     *
     * @return the buffered stream; a failed write throws a {@link FileSystemException} naming the target
     * @throws IOException when flushing the writer fails
     */
    public OutputStream stream() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        return buffered;
    }

    /**
     * The output as UTF-8 text (buffered; bytes written to {@link #stream()} afterwards follow this text).
     *
     * @return the writer, the same one on every call
     */
    public Writer writer() {
        if (writer == null) {
            writer = new BufferedWriter(new OutputStreamWriter(buffered, StandardCharsets.UTF_8), 1 << 16);
        }
        return writer;
    }

    /** The output as a channel, for binary formats; {@link #position()} counts what went through any of the views. */
    WritableByteChannel channel() throws IOException {
        if (bgzf(target)) {
            // offsets inside a binary file count its own bytes: a compressed stream would make every one wrong
            throw new FileSystemException(target.toString(), null, "a .gz name asks for bgzip, but this is a binary scep"
                    + " file, which is never compressed: choose a name without .gz");
        }
        OutputStream out = stream();
        return new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                int n = src.remaining();
                if (src.hasArray()) {
                    out.write(src.array(), src.arrayOffset() + src.position(), n);
                    src.position(src.limit());
                } else {
                    byte[] b = new byte[Math.min(n, 1 << 16)];
                    while (src.hasRemaining()) {
                        int k = Math.min(b.length, src.remaining());
                        src.get(b, 0, k);
                        out.write(b, 0, k);
                    }
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return !closed;
            }

            @Override
            public void close() {
                // the output closes with commit() or close()
            }
        };
    }

    /** Bytes written so far through any of the views (flushes the buffers to count them). */
    long position() throws IOException {
        stream().flush();
        return counting.count;
    }

    /**
     * Flushes and, for a temporary file, forces it to disk: call before {@link #commit()} for files that must survive a
     * crash.
     *
     * @throws IOException when flushing or forcing fails
     */
    public void sync() throws IOException {
        stream().flush();
        if (tmpChannel != null) {
            tmpChannel.force(true);
        }
    }

    /**
     * Finishes the output: renames the temporary file over the target (or flushes a direct one). Closing afterwards
     * does nothing more.
     *
     * @throws IllegalStateException when the output was already committed or closed
     * @throws IOException           when flushing or the rename fails; the target is then as it was
     */
    public void commit() throws IOException {
        if (committed || closed) {
            throw new IllegalStateException(target + " was already " + (committed ? "committed" : "closed"));
        }
        stream().flush();
        buffered.close();
        if (tmp != null) {
            if (bgzf(target)) {
                // an index of the file being replaced would point into the old bytes: tabix and htsjdk would read it
                // without a word; whoever indexes the new file writes a new one
                Files.deleteIfExists(destination.resolveSibling(destination.getFileName() + ".tbi"));
                Files.deleteIfExists(destination.resolveSibling(destination.getFileName() + ".csi"));
            }
            Files.move(tmp, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            TemporaryFiles.release(tmp);
        }
        committed = true;
        closed = true;
    }

    /** Abandons an uncommitted output: its temporary file is deleted and an existing target stays as it was. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            counting.abandoned = true;   // nothing more reaches the file: the buffers are dropped
            buffered.close();
        } catch (IOException ignored) {
            // an abandoned output: its bytes do not matter
        } finally {
            if (tmp != null) {
                TemporaryFiles.delete(tmp);
            }
        }
    }

    /** Counts the bytes that reach the file; a failed write (a full disk, a closed pipe) names the file. */
    private static final class CountingStream extends FilterOutputStream {
        private final Path target;
        long count;
        boolean abandoned;

        CountingStream(OutputStream out, Path target) {
            super(out);
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!abandoned) {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw new FileSystemException(target.toString(), null, "cannot write: " + e.getMessage());
                }
                count += len;
            }
        }
    }
}
