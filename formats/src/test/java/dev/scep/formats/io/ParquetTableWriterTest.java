package dev.scep.formats.io;

import dev.scep.formats.text.InputFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Parquet writer's encodings against the byte sequences the specifications give, its file frame, and its errors.
 * Whether real readers read the files is checked in scep-spark's tests, with Spark and parquet-java.
 */
class ParquetTableWriterTest {
    @TempDir
    Path dir;

    @Test
    void definitionLevelsAreRunsOfTheHybridEncoding() {
        // Encodings.md: a run is ULEB128(count << 1), then the value in ceil(bit width / 8) = 1 byte
        assertThat(ParquetTableWriter.runLengthLevels(new byte[]{1, 1, 1, 0}, 4)).containsExactly(0x06, 0x01, 0x02, 0x00);
        byte[] many = new byte[300];
        Arrays.fill(many, (byte) 1);
        // 300 << 1 = 600 = 0b100_1011000: ULEB128 0xD8 0x04
        assertThat(ParquetTableWriter.runLengthLevels(many, 300)).containsExactly(0xD8, 0x04, 0x01);
        assertThat(ParquetTableWriter.runLengthLevels(many, 0)).isEmpty();
    }

    @Test
    void thriftCompactFieldsAsTheProtocolSpecifies() {
        // thrift's compact protocol spec: field header (delta << 4 | type), zigzag varints, long deltas spelled out
        ParquetTableWriter.Compact c = new ParquetTableWriter.Compact();
        c.i32(1, 1);          // 0x15, zigzag(1) = 2
        c.i64(3, -1);         // delta 2, type 6: 0x26, zigzag(-1) = 1
        c.string(4, "ab");    // 0x18, length 2, 'a' 'b'
        c.i32(30, 0);         // delta 26 > 15: type byte 0x05, then zigzag(30) = 60 = 0x3c, value 0
        c.beginList(31, ParquetTableWriter.Compact.I32, 2);   // delta 1, type 9: 0x19; size 2 << 4 | 5 = 0x25
        c.listI32(0);
        c.listI32(3);         // zigzag(3) = 6
        c.beginStruct(32);    // 0x1c, inner ids restart from 0
        c.i32(1, 7);          // 0x15 0x0e
        c.endStruct();        // 0x00
        c.stop();
        assertThat(HexFormat.of().formatHex(c.bytes())).isEqualTo("1502" + "2601" + "18026162" + "053c00" + "19250006"
                + "1c" + "150e" + "00" + "00");
    }

    @Test
    void aFileStartsAndEndsWithTheMagicAndItsFooterLengthBeforeTheEnd() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ParquetTableWriter w = new ParquetTableWriter(bytes, List.of(new ParquetTableWriter.Column("x", ParquetTableWriter.Type.INT32)),
                Map.of("scep.version", "1.2.3"))) {
            w.write(new String[]{"5"});
            w.write(new String[]{""});
            assertThat(w.rows()).isEqualTo(2);
        }
        byte[] b = bytes.toByteArray();
        assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        assertThat(new String(b, b.length - 4, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        int footer = ByteBuffer.wrap(b, b.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertThat(footer).isBetween(1, b.length - 12);
        String meta = new String(b, b.length - 8 - footer, footer, StandardCharsets.ISO_8859_1);
        assertThat(meta).contains("scep.version", "1.2.3", "scep version 1.2.3 (build none)", "schema");
    }

    @Test
    void aValueThatIsNotItsColumnsTypeNamesTheTableLineAndColumn() throws Exception {
        Path tsv = dir.resolve("t.tsv");
        Files.writeString(tsv, "# scep 0 test\nname\tposition\tscore\nA\t10\t0.5\nB\tten\t0.25\n");
        assertThatThrownBy(() -> ParquetTableWriter.fromTsv(tsv, new ByteArrayOutputStream(),
                name -> name.equals("position") ? ParquetTableWriter.Type.INT64
                        : name.equals("score") ? ParquetTableWriter.Type.FLOAT : ParquetTableWriter.Type.STRING, Map.of()))
                .isInstanceOf(InputFormatException.class)
                .hasMessageContaining(tsv.toString()).hasMessageContaining("4")
                .hasMessageContaining("column position: 'ten' is not an integer");
        Files.writeString(tsv, "a\tb\n1\n");
        assertThatThrownBy(() -> ParquetTableWriter.fromTsv(tsv, new ByteArrayOutputStream(), name -> ParquetTableWriter.Type.STRING, Map.of()))
                .isInstanceOf(InputFormatException.class).hasMessageContaining("1 fields where the header has 2");
        Files.writeString(tsv, "# only a comment\n");
        assertThatThrownBy(() -> ParquetTableWriter.fromTsv(tsv, new ByteArrayOutputStream(), name -> ParquetTableWriter.Type.STRING, Map.of()))
                .isInstanceOf(InputFormatException.class).hasMessageContaining("no header line");
    }

    @Test
    void badColumnsAndRowsAreRefused() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        var string = ParquetTableWriter.Type.STRING;
        assertThatThrownBy(() -> new ParquetTableWriter(sink, List.of(), Map.of())).hasMessageContaining("at least one column");
        assertThatThrownBy(() -> new ParquetTableWriter(sink, List.of(new ParquetTableWriter.Column("a", string),
                new ParquetTableWriter.Column("a", string)), Map.of())).hasMessageContaining("distinct");
        assertThatThrownBy(() -> new ParquetTableWriter.Column("", string)).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> new ParquetTableWriter(sink, List.of(new ParquetTableWriter.Column("a", string)), Map.of(), 0))
                .hasMessageContaining("at least 1 byte");
    }
}
