package dev.scep.formats.text;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Streams the records of a FASTA file (plain, gzip or bgzip), one at a time, so files far larger than memory can
 * be processed. Sequence bytes are returned as written (case kept; line breaks and spaces removed); validating the
 * characters is the caller's job, which knows the alphabet it accepts. Lines starting with ';' are comments.
 *
 * <p>A reader is not thread-safe: read it from one thread. Close it to release the file.
 */
public final class FastaReader implements Closeable {
    /**
     * One record: the id is the header's first word; {@code line} is the header's 1-based line number.
     *
     * @param id          the header's first word, without the {@code >}
     * @param description the rest of the header, stripped; empty when there is none
     * @param sequence    the sequence as ASCII bytes, as written (case kept, spaces and line breaks removed); the
     *                    array is the record's own
     * @param line        the header's 1-based line number
     */
    public record Record(String id, String description, byte[] sequence, long line) {
    }

    /** The longest record held in memory (a Java array's limit). */
    static final int MAX_RECORD = Integer.MAX_VALUE - 8;

    private final Path file;
    private final InputStream in;
    private long line = 0;
    private String pendingHeader;
    private long pendingHeaderLine;
    private boolean started;
    private byte[] lineBuf = new byte[1 << 14];
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkLen;

    /**
     * Opens a FASTA file.
     *
     * @param file a FASTA file: plain, gzip or bgzip
     * @throws java.nio.file.FileSystemException when {@code file} is a folder
     * @throws InputFormatException naming the file when its compressed header is damaged
     * @throws IOException          when it cannot be opened
     */
    public FastaReader(Path file) throws IOException {
        this.file = file;
        this.in = TextInput.open(file);
    }

    Path file() {
        return file;
    }

    /**
     * Reads the next record.
     *
     * @return the record, or null at the end of the file
     * @throws InputFormatException naming the file and line when the file does not start with a {@code >} header, a
     *                              header has no name, a record is longer than a Java array holds, or the compressed
     *                              file is truncated or corrupted
     * @throws dev.scep.formats.Memory.NotEnoughMemoryException when the record does not fit the heap
     * @throws IOException          when the file cannot be read
     */
    public Record next() throws IOException {
        try {
            return readRecord();
        } catch (EOFException | ZipException e) {
            throw new InputFormatException(file, line, "the compressed file is truncated or corrupted (" + e.getMessage() + ")");
        }
    }

    private Record readRecord() throws IOException {
        if (!started) {
            started = true;
            String first;
            while ((first = readLine()) != null && first.isBlank()) {
                // skip leading blank lines
            }
            if (first == null) {
                return null;
            }
            if (!first.startsWith(">")) {
                throw new InputFormatException(file, line, "expected a FASTA header starting with '>', found '"
                        + abbreviate(first) + "'");
            }
            pendingHeader = first;
            pendingHeaderLine = line;
        }
        if (pendingHeader == null) {
            return null;
        }
        String header = pendingHeader.substring(1).strip();
        long headerLine = pendingHeaderLine;
        if (header.isEmpty()) {
            throw new InputFormatException(file, headerLine, "FASTA header without a name");
        }
        int space = indexOfWhitespace(header);
        String id = space < 0 ? header : header.substring(0, space);
        String description = space < 0 ? "" : header.substring(space + 1).strip();
        byte[] seq = new byte[1 << 14];
        int n = 0;
        pendingHeader = null;
        while (true) {
            int len = readLineBytes();
            if (len < 0) {
                break;
            }
            if (len > 0 && lineBuf[0] == '>') {
                pendingHeader = new String(lineBuf, 0, len, StandardCharsets.ISO_8859_1);
                pendingHeaderLine = line;
                break;
            }
            if (len > 0 && lineBuf[0] == ';') {
                continue; // old-style comment line
            }
            if (n + len > seq.length) {
                if ((long) n + len > MAX_RECORD) {
                    throw new InputFormatException(file, headerLine, "record " + id + " is longer than " + MAX_RECORD
                            + " bases, more than scep holds in memory at once: index the FASTA (samtools faidx) so"
                            + " windows are read by random access");
                }
                int grown = (int) Math.min(MAX_RECORD, Math.max(2L * seq.length, (long) n + len));
                dev.scep.formats.Memory.require(grown, "record " + id + " of " + file);
                seq = Arrays.copyOf(seq, grown);
            }
            for (int i = 0; i < len; i++) {
                byte b = lineBuf[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    seq[n++] = b;
                }
            }
        }
        return new Record(id, description, Arrays.copyOf(seq, n), headerLine);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private String readLine() throws IOException {
        int len = readLineBytes();
        return len < 0 ? null : new String(lineBuf, 0, len, StandardCharsets.ISO_8859_1);
    }

    /** Reads one line into lineBuf (without the newline, growing it as needed); -1 at end of input. */
    private int readLineBytes() throws IOException {
        int n = 0;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk, 0, chunk.length);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    if (n == 0) {
                        return -1;
                    }
                    line++;
                    return n;
                }
            }
            int start = chunkPos;
            int end = chunkPos;
            while (end < chunkLen && chunk[end] != '\n') {
                end++;
            }
            int len = end - start;
            if (n + len > lineBuf.length) {
                lineBuf = Arrays.copyOf(lineBuf, Math.max(lineBuf.length * 2, n + len));
            }
            System.arraycopy(chunk, start, lineBuf, n, len);
            n += len;
            if (end < chunkLen) {
                chunkPos = end + 1;
                line++;
                return n;
            }
            chunkPos = chunkLen;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
