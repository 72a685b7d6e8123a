package dev.scep.formats.io;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * A flat table written as one Apache Parquet file (format 2.x readers and 1.0 writers alike: Spark, DuckDB, pandas with
 * pyarrow, polars): every column optional (an empty field is null), PLAIN-encoded values in version-1 data pages of
 * about 1 MiB, definition levels RLE-encoded, pages GZIP-compressed, row groups of about 64 MiB compressed; key-value metadata
 * in the footer for provenance.
 *
 * <p>Written here rather than with parquet-java (why: parquet-java's jars split packages between them, so they cannot
 * be on the module path that applications embedding scep use, and every compression codec of theirs needs Hadoop's
 * classes; this subset is small and is checked against parquet-java's own reader, through Spark, in scep-spark's
 * tests). The layout is the Parquet format specification's (github.com/apache/parquet-format, {@code README.md} and
 * {@code Encodings.md}); the footer and page headers are Thrift's compact protocol.
 *
 * <p>Rows are taken as text (a value's {@link Type} parses it) and buffered per row group, so memory is bounded by
 * the row group whatever the table's length. Not thread-safe.
 */
public final class ParquetTableWriter implements Closeable {
    /** The column types: text, integers, floating point. */
    public enum Type {
        /** UTF-8 text (BYTE_ARRAY annotated STRING). */
        STRING(6),
        /** 32-bit signed integer. */
        INT32(1),
        /** 64-bit signed integer. */
        INT64(2),
        /** 32-bit IEEE float. */
        FLOAT(4),
        /** 64-bit IEEE double. */
        DOUBLE(5);

        final int physical;   // the Parquet physical type's number in the specification's Thrift enum

        Type(int physical) {
            this.physical = physical;
        }
    }

    /**
     * A column.
     *
     * @param name the column's name
     * @param type its type
     */
    public record Column(String name, Type type) {
        /**
         * Checks the column.
         *
         * @param name the column's name, not empty
         * @param type its type
         */
        public Column {
            Objects.requireNonNull(type, "type");
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a Parquet column needs a name");
            }
        }
    }

    static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int PAGE_BYTES = 1 << 20;
    private static final long ROW_GROUP_BYTES = 64L << 20;   // compressed
    // Thrift enum values from parquet.thrift
    private static final int CODEC_GZIP = 2;
    private static final int ENCODING_PLAIN = 0;
    private static final int ENCODING_RLE = 3;
    private static final int PAGE_DATA = 0;
    private static final int REPETITION_OPTIONAL = 1;
    private static final int CONVERTED_UTF8 = 0;

    private final OutputStream out;
    private final List<Column> columns;
    private final Map<String, String> metadata;
    private final ColumnBuffer[] buffers;
    private final long rowGroupBytes;
    private final List<byte[]> rowGroups = new ArrayList<>();   // each RowGroup struct, compact-encoded
    private long offset;
    private long rows;
    private long groupRows;
    private boolean closed;

    /**
     * Starts a file: writes the leading magic number.
     *
     * @param out      where the file goes (closed by {@link #close()}: wrap it to keep it open)
     * @param columns  the columns, at least one, names distinct
     * @param metadata key-value pairs for the footer (provenance), in this order
     * @throws IOException when writing fails
     */
    public ParquetTableWriter(OutputStream out, List<Column> columns, Map<String, String> metadata) throws IOException {
        this(out, columns, metadata, ROW_GROUP_BYTES);
    }

    /**
     * As {@link #ParquetTableWriter(OutputStream, List, Map)}, with row groups of another size (readers that split
     * work by row group want smaller ones; tests write many).
     *
     * @param out           where the file goes (closed by {@link #close()})
     * @param columns       the columns, at least one, names distinct
     * @param metadata      key-value pairs for the footer
     * @param rowGroupBytes a row group ends once its compressed pages reach this many bytes; at least 1
     * @throws IOException when writing fails
     */
    public ParquetTableWriter(OutputStream out, List<Column> columns, Map<String, String> metadata, long rowGroupBytes)
            throws IOException {
        if (rowGroupBytes < 1) {
            throw new IllegalArgumentException("a row group's size must be at least 1 byte, not " + rowGroupBytes);
        }
        this.rowGroupBytes = rowGroupBytes;
        this.out = Objects.requireNonNull(out, "out");
        this.columns = List.copyOf(columns);
        this.metadata = new LinkedHashMap<>(metadata);
        if (this.columns.isEmpty()) {
            throw new IllegalArgumentException("a Parquet table needs at least one column");
        }
        if (this.columns.stream().map(Column::name).distinct().count() != this.columns.size()) {
            throw new IllegalArgumentException("Parquet column names must be distinct: " + this.columns);
        }
        buffers = new ColumnBuffer[this.columns.size()];
        for (int c = 0; c < buffers.length; c++) {
            buffers[c] = new ColumnBuffer(this.columns.get(c).type());
        }
        out.write(MAGIC);
        offset = MAGIC.length;
    }

    /**
     * Adds a row.
     *
     * @param values one text value per column, in column order; null or empty is null
     * @throws IOException              when writing a full row group fails
     * @throws NumberFormatException    when a value does not parse as its column's type (the message names the column)
     * @throws IllegalArgumentException when the row has another number of values than there are columns
     */
    public void write(String[] values) throws IOException {
        if (closed) {
            throw new IllegalStateException("the Parquet file is closed");
        }
        if (values.length != buffers.length) {
            throw new IllegalArgumentException(values.length + " values for " + buffers.length + " columns");
        }
        for (int c = 0; c < buffers.length; c++) {
            try {
                buffers[c].add(values[c]);
            } catch (NumberFormatException e) {
                for (int undo = 0; undo < c; undo++) {
                    buffers[undo].dropLast();
                }
                throw new NumberFormatException("column " + columns.get(c).name() + ": '" + values[c] + "' is not "
                        + (columns.get(c).type() == Type.INT32 || columns.get(c).type() == Type.INT64 ? "an integer" : "a number")
                        + " (" + columns.get(c).type() + ")");
            }
        }
        rows++;
        groupRows++;
        long bytes = 0;
        for (ColumnBuffer b : buffers) {
            b.closePageIfFull();
            bytes += b.bytes();
        }
        if (bytes >= rowGroupBytes) {
            flushRowGroup();
        }
    }

    /**
     * Rows written so far.
     *
     * @return the count
     */
    public long rows() {
        return rows;
    }

    /**
     * Writes the last row group and the footer, and closes the stream.
     *
     * @throws IOException when writing fails
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            if (groupRows > 0) {   // an empty table has its schema and no row group
                flushRowGroup();
            }
            byte[] footer = fileMetaData();
            out.write(footer);
            out.write(new byte[]{(byte) footer.length, (byte) (footer.length >>> 8), (byte) (footer.length >>> 16),
                    (byte) (footer.length >>> 24)});
            out.write(MAGIC);
        }
    }

    private void flushRowGroup() throws IOException {
        long groupStart = offset;
        long uncompressed = 0;
        Compact group = new Compact();
        group.beginList(1, Compact.STRUCT, buffers.length);
        for (int c = 0; c < buffers.length; c++) {
            ColumnBuffer b = buffers[c];
            b.closePage();
            long chunkStart = offset;
            for (byte[] page : b.pages) {
                out.write(page);
                offset += page.length;
            }
            uncompressed += b.uncompressedBytes;
            group.beginElement();
            group.i64(2, chunkStart);                       // ColumnChunk.file_offset
            group.beginStruct(3);                           // ColumnChunk.meta_data: ColumnMetaData
            group.i32(1, columns.get(c).type().physical);
            group.beginList(2, Compact.I32, 2);
            group.listI32(ENCODING_PLAIN);
            group.listI32(ENCODING_RLE);
            group.beginList(3, Compact.BINARY, 1);
            group.listString(columns.get(c).name());
            group.i32(4, CODEC_GZIP);
            group.i64(5, groupRows);                        // num_values, nulls included
            group.i64(6, b.uncompressedBytes);
            group.i64(7, offset - chunkStart);
            group.i64(9, chunkStart);                       // data_page_offset
            group.endStruct();
            group.endElement();
            b.reset();
        }
        group.i64(2, uncompressed);                         // RowGroup.total_byte_size
        group.i64(3, groupRows);
        group.i64(5, groupStart);                           // file_offset
        group.i64(6, offset - groupStart);                  // total_compressed_size
        group.stop();
        rowGroups.add(group.bytes());
        groupRows = 0;
    }

    private byte[] fileMetaData() {
        Compact f = new Compact();
        f.i32(1, 1);                                        // version
        f.beginList(2, Compact.STRUCT, columns.size() + 1); // schema: the root, then the columns
        f.beginElement();
        f.string(4, "schema");
        f.i32(5, columns.size());
        f.endElement();
        for (Column c : columns) {
            f.beginElement();
            f.i32(1, c.type().physical);
            f.i32(3, REPETITION_OPTIONAL);
            f.string(4, c.name());
            if (c.type() == Type.STRING) {
                f.i32(6, CONVERTED_UTF8);                   // for readers older than logical types
                f.beginStruct(10);                          // logicalType: the union's STRING member, an empty struct
                f.beginStruct(1);
                f.endStruct();
                f.endStruct();
            }
            f.endElement();
        }
        f.i64(3, rows);
        f.beginList(4, Compact.STRUCT, rowGroups.size());
        for (byte[] g : rowGroups) {
            f.raw(g);                                       // an element: the struct's fields and its stop byte
        }
        if (!metadata.isEmpty()) {
            f.beginList(5, Compact.STRUCT, metadata.size());
            for (Map.Entry<String, String> kv : metadata.entrySet()) {
                f.beginElement();
                f.string(1, kv.getKey());
                f.string(2, kv.getValue());
                f.endElement();
            }
        }
        // parsed by parquet-java's VersionParser as "<application> version <semver> (build <hash>)"
        f.string(6, "scep version " + metadata.getOrDefault("scep.version", "0") + " (build none)");
        f.stop();
        return f.bytes();
    }

    /**
     * Converts a tab-separated table (its leading {@code #} lines, scep's provenance, skipped; the next line the
     * header) into a Parquet file: one column per header field, typed by {@code typeOf}. The comment lines go into the
     * footer's metadata as {@code scep.provenance}, after {@code metadata}.
     *
     * @param tsv      the table
     * @param out      where the Parquet file goes (closed when done)
     * @param typeOf   a column's type, from its name
     * @param metadata more key-value pairs for the footer
     * @return the rows written
     * @throws IOException when reading or writing fails; a row with another number of fields than the header, or a
     *                     value that does not parse, is a {@link dev.scep.formats.text.InputFormatException} naming the
     *                     table, line and column
     */
    public static long fromTsv(Path tsv, OutputStream out, Function<String, Type> typeOf, Map<String, String> metadata)
            throws IOException {
        try (BufferedReader in = Files.newBufferedReader(tsv, StandardCharsets.UTF_8)) {
            List<String> comments = new ArrayList<>();
            String line;
            long lineNumber = 0;
            while ((line = in.readLine()) != null && line.startsWith("#")) {
                comments.add(line);
                lineNumber++;
            }
            if (line == null) {
                throw new dev.scep.formats.text.InputFormatException(tsv, lineNumber, "no header line: not a table");
            }
            lineNumber++;
            String[] header = line.split("\t", -1);
            List<Column> columns = new ArrayList<>();
            for (String name : header) {
                columns.add(new Column(name, typeOf.apply(name)));
            }
            Map<String, String> kv = new LinkedHashMap<>(metadata);
            if (!comments.isEmpty()) {
                kv.put("scep.provenance", String.join("\n", comments));
            }
            try (ParquetTableWriter w = new ParquetTableWriter(out, columns, kv)) {
                while ((line = in.readLine()) != null) {
                    lineNumber++;
                    String[] fields = line.split("\t", -1);
                    if (fields.length != header.length) {
                        throw new dev.scep.formats.text.InputFormatException(tsv, lineNumber,
                                fields.length + " fields where the header has " + header.length);
                    }
                    try {
                        w.write(fields);
                    } catch (NumberFormatException e) {
                        throw new dev.scep.formats.text.InputFormatException(tsv, lineNumber, e.getMessage());
                    }
                }
                return w.rows();
            }
        }
    }

    /** One column's values for the current row group: finished pages, and the page being filled. */
    private static final class ColumnBuffer {
        private final Type type;
        final List<byte[]> pages = new ArrayList<>();   // page header + compressed body, ready to write
        long uncompressedBytes;                         // of the pages, headers included
        private long pagesBytes;
        private final Growable values = new Growable();
        private byte[] levels = new byte[1024];         // definition level per value: 1 present, 0 null
        private int count;
        private int lastValueStart;                     // for dropLast

        ColumnBuffer(Type type) {
            this.type = type;
        }

        void add(String text) throws IOException {
            boolean present = text != null && !text.isEmpty();
            int start = values.size();
            if (present) {
                switch (type) {
                    case STRING -> {
                        byte[] b = text.getBytes(StandardCharsets.UTF_8);
                        values.int32(b.length);
                        values.write(b, 0, b.length);
                    }
                    case INT32 -> values.int32(Integer.parseInt(text));
                    case INT64 -> values.int64(Long.parseLong(text));
                    case FLOAT -> values.int32(Float.floatToRawIntBits((float) parseFloating(text)));
                    case DOUBLE -> values.int64(Double.doubleToRawLongBits(parseFloating(text)));
                }
            }
            if (count == levels.length) {
                levels = Arrays.copyOf(levels, levels.length * 2);
            }
            levels[count++] = (byte) (present ? 1 : 0);
            lastValueStart = start;
        }

        /** Closes the page when it is full: between rows, so that {@link #dropLast} always has the row's value. */
        void closePageIfFull() throws IOException {
            if (values.size() >= PAGE_BYTES) {
                closePage();
            }
        }

        /** Takes back the last value added (a row that failed in a later column). */
        void dropLast() {
            if (count > 0) {
                count--;
                values.truncate(lastValueStart);
            }
        }

        long bytes() {
            return pagesBytes + values.size() + count;
        }

        void closePage() throws IOException {
            if (count == 0) {
                return;
            }
            Growable body = new Growable();
            byte[] rle = runLengthLevels(levels, count);
            body.int32(rle.length);                     // v1 data page: the levels' byte length, then the levels
            body.write(rle, 0, rle.length);
            body.write(values.array(), 0, values.size());
            Growable compressed = new Growable();
            try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
                gz.write(body.array(), 0, body.size());
            }
            Compact header = new Compact();
            header.i32(1, PAGE_DATA);
            header.i32(2, body.size());
            header.i32(3, compressed.size());
            header.beginStruct(5);                      // DataPageHeader
            header.i32(1, count);
            header.i32(2, ENCODING_PLAIN);
            header.i32(3, ENCODING_RLE);                // definition levels
            header.i32(4, ENCODING_RLE);                // repetition levels (none: the columns are flat)
            header.endStruct();
            header.stop();
            byte[] h = header.bytes();
            byte[] page = Arrays.copyOf(h, h.length + compressed.size());
            System.arraycopy(compressed.array(), 0, page, h.length, compressed.size());
            pages.add(page);
            pagesBytes += page.length;
            uncompressedBytes += h.length + body.size();
            values.truncate(0);
            count = 0;
        }

        void reset() {
            pages.clear();
            pagesBytes = 0;
            uncompressedBytes = 0;
        }

        private static double parseFloating(String text) {
            // Java's parser takes what scep writes (and NaN, Infinity); also the 'inf'/'nan' spellings others write
            String t = text.trim();
            return switch (t.toLowerCase(java.util.Locale.ROOT)) {
                case "nan" -> Double.NaN;
                case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(t);
            };
        }
    }

    /**
     * Definition levels of bit width 1 in the RLE/bit-packing hybrid, as runs only: each run a ULEB128 header
     * {@code count << 1} and the repeated value in one byte (Encodings.md, "Run Length Encoding / Bit-Packing Hybrid").
     */
    static byte[] runLengthLevels(byte[] levels, int count) {
        Growable g = new Growable();
        int i = 0;
        while (i < count) {
            int j = i + 1;
            while (j < count && levels[j] == levels[i]) {
                j++;
            }
            g.varint((long) (j - i) << 1);
            g.write(levels[i]);
            i = j;
        }
        return Arrays.copyOf(g.array(), g.size());
    }

    /** A byte buffer that hands out its array (no copy) and writes little-endian numbers and ULEB128 varints. */
    private static final class Growable extends ByteArrayOutputStream {
        Growable() {
            super(256);
        }

        byte[] array() {
            return buf;
        }

        void truncate(int size) {
            count = size;
        }

        void int32(int v) {
            write(v);
            write(v >>> 8);
            write(v >>> 16);
            write(v >>> 24);
        }

        void int64(long v) {
            int32((int) v);
            int32((int) (v >>> 32));
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }
    }

    /**
     * Thrift's compact protocol, the subset Parquet's footer and page headers use: struct fields with delta-encoded ids,
     * zigzag varint integers, length-prefixed strings, lists.
     */
    static final class Compact {
        static final byte I32 = 5;
        static final byte I64 = 6;
        static final byte BINARY = 8;
        static final byte LIST = 9;
        static final byte STRUCT = 12;
        private final Growable out = new Growable();
        private final java.util.ArrayDeque<Integer> enclosing = new java.util.ArrayDeque<>();
        private int lastId;

        private void field(int id, byte type) {
            int delta = id - lastId;
            if (delta > 0 && delta <= 15) {
                out.write(delta << 4 | type);
            } else {
                out.write(type);
                out.varint(zigzag(id));
            }
            lastId = id;
        }

        private static long zigzag(long v) {
            return (v << 1) ^ (v >> 63);
        }

        void i32(int id, int v) {
            field(id, I32);
            out.varint(zigzag(v));
        }

        void i64(int id, long v) {
            field(id, I64);
            out.varint(zigzag(v));
        }

        void string(int id, String s) {
            field(id, BINARY);
            listString(s);
        }

        void beginStruct(int id) {
            field(id, STRUCT);
            beginElement();
        }

        void endStruct() {
            endElement();
        }

        /** A struct inside a list: no field header, its own field ids. */
        void beginElement() {
            enclosing.push(lastId);
            lastId = 0;
        }

        void endElement() {
            out.write(0);
            lastId = enclosing.pop();
        }

        void beginList(int id, byte elementType, int size) {
            field(id, LIST);
            if (size < 15) {
                out.write(size << 4 | elementType);
            } else {
                out.write(0xF0 | elementType);
                out.varint(size);
            }
        }

        void listI32(int v) {
            out.varint(zigzag(v));
        }

        void listString(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.varint(b.length);
            out.write(b, 0, b.length);
        }

        /** Bytes of an already encoded struct (with its stop byte), as a list element. */
        void raw(byte[] struct) {
            out.write(struct, 0, struct.length);
        }

        void stop() {
            out.write(0);
        }

        byte[] bytes() {
            return Arrays.copyOf(out.array(), out.size());
        }
    }
}
