package dev.scep.formats.vcf;

import dev.scep.formats.text.InputFormatException;
import htsjdk.samtools.util.BlockCompressedOutputStream;
import htsjdk.variant.variantcontext.VariantContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks SortedVcf adds to htsjdk's reader, on plain, bgzip and BCF files. */
class SortedVcfTest {
    @TempDir
    Path dir;

    private static String header(String... samples) {
        return "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000>\n"
                + "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + String.join("\t", samples) + "\n";
    }

    private Path bgzip(String name, byte[] content) throws Exception {
        Path p = dir.resolve(name);
        try (OutputStream out = new BlockCompressedOutputStream(p.toFile())) {
            out.write(content);
        }
        return p;
    }

    /** A BCF 2.1 file with this header text and no records, uncompressed (htsjdk 4.2 reads BCF 2.1 only, and not bgzip-compressed). */
    private Path bcf(String name, String headerText) throws Exception {
        byte[] text = (headerText + "\0").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[]{'B', 'C', 'F', 2, 1});
        b.write(new byte[]{(byte) text.length, (byte) (text.length >> 8), (byte) (text.length >> 16), (byte) (text.length >> 24)});
        b.write(text);
        return Files.write(dir.resolve(name), b.toByteArray());
    }

    @Test
    void htsjdkAloneDropsADuplicatedSampleWithoutAWord() throws Exception {
        Path vcf = Files.writeString(dir.resolve("dup.vcf"), header("S1", "S2", "S1") + "chr1\t10\t.\tA\tC\t.\t.\t.\tGT\t0|1\t1|1\t0|0\n");
        try (htsjdk.variant.vcf.VCFFileReader r = new htsjdk.variant.vcf.VCFFileReader(vcf, false)) {
            assertThat(r.getFileHeader().getGenotypeSamples()).containsExactly("S1", "S2");   // why SortedVcf reads the line itself
        }
    }

    @Test
    void aSampleNamedTwiceIsAnErrorNamingItInPlainBgzipAndBcfFiles() throws Exception {
        String dup = header("S1", "S2", "S3", "S2");
        String record = "chr1\t10\t.\tA\tC\t.\t.\t.\tGT\t0|1\t1|1\t0|0\t1|0\n";
        List<Path> files = List.of(Files.writeString(dir.resolve("dup.vcf"), dup + record),
                bgzip("dup.vcf.gz", (dup + record).getBytes(StandardCharsets.UTF_8)), bcf("dup.bcf", dup));
        for (Path f : files) {
            assertThatThrownBy(() -> new SortedVcf(f).close()).as(f.toString()).isInstanceOf(InputFormatException.class)
                    .hasMessageContaining(f.toString()).hasMessageContaining("sample S2 twice (columns 11 and 13)");
        }
        assertThatThrownBy(() -> new SortedVcf(files.getFirst()).close()).hasMessageStartingWith(files.getFirst() + ":4: ");

        String ok = header("S1", "S2", "S3", "S4");
        List<Path> good = List.of(Files.writeString(dir.resolve("ok.vcf"), ok + record),
                bgzip("ok.vcf.gz", (ok + record).getBytes(StandardCharsets.UTF_8)), bcf("ok.bcf", ok));
        for (Path f : good) {
            try (SortedVcf r = new SortedVcf(f)) {
                assertThat(r.samples()).as(f.toString()).containsExactly("S1", "S2", "S3", "S4");
                if (!f.toString().endsWith(".bcf")) {
                    VariantContext vc = r.next();
                    assertThat(vc.getGenotype(3).getGenotypeString()).isEqualTo("C|A");
                }
            }
        }
    }

    @Test
    void anAlleleHtsjdkRefusesIsReportedWithItsRecordAndTheWayOut() throws Exception {
        Path vcf = Files.writeString(dir.resolve("r.vcf"), header("S1") + "chr1\t10\t.\tA\tC\t.\t.\t.\tGT\t0|1\n"
                + "chr1\t12\t.\tA\tY\t.\t.\t.\tGT\t0|1\n");
        try (SortedVcf r = new SortedVcf(vcf)) {
            assertThatThrownBy(() -> {
                while (r.next() != null) {
                    // read to the bad record
                }
            }).isInstanceOf(InputFormatException.class).hasMessageContaining(vcf + ":6: record chr1:12: allele Y")
                    .hasMessageContaining("as N");
        }
        // htsjdk parses the first record when the iterator is made: that record is named too
        Path first = Files.writeString(dir.resolve("first.vcf"), header("S1") + "chr1\t12\t.\tA\tR\t.\t.\t.\tGT\t0|1\n");
        assertThatThrownBy(() -> new SortedVcf(first).close()).isInstanceOf(InputFormatException.class)
                .hasMessageContaining(first + ":5: record chr1:12: allele R");
    }
}
