package dev.scep.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** scep ism on a real window of the alpha-globin region with the published Xpresso model. */
class IsmCliTest {
    @TempDir
    Path dir;

    @Test
    void everySubstitutionIsWrittenWithBedGraphAndPlot() throws Exception {
        Path data = SharedData.dir();
        Path region = data.resolve("hg38-chr16-alpha-globin");
        assertThat(Cli.run("import-keras", data.resolve("xpresso-pretrained/xpresso_human.h5"), "--out", dir.resolve("x.scep"))
                .exitCode()).isZero();
        assertThat(Cli.run("prepare", "--fasta", region.resolve("region.fa"), "--gtf", region.resolve("refseq.gtf"),
                "--windows-out", dir.resolve("w.fa")).exitCode()).isZero();
        Cli ism = Cli.run("ism", "--model", dir.resolve("x.scep"), "--windows", dir.resolve("w.fa"), "--zero-halflife",
                "--id", "NM_018032", "--out", dir.resolve("ism.tsv"), "--bedgraph", dir.resolve("bg"), "--plot", dir.resolve("plot"));
        assertThat(ism.exitCode()).as(ism.err()).isZero();
        assertThat(ism.err()).contains("incremental");
        List<String> rows = Tables.lines(dir.resolve("ism.tsv"));
        assertThat(rows).hasSize(31_501);
        assertThat(rows.getFirst()).isEqualTo("id\tposition\toffset\tref\talt\texpression");
        assertThat(rows.get(1)).startsWith("NM_018032\t0\t-7000\t");
        assertThat(rows.get(31_500)).startsWith("NM_018032\t10499\t3499\t");
        // the naive path gives the same numbers (to float rounding)
        Cli naive = Cli.run("ism", "--model", dir.resolve("x.scep"), "--windows", dir.resolve("w.fa"), "--zero-halflife",
                "--id", "NM_018032", "--out", dir.resolve("naive.tsv"), "--naive");
        assertThat(naive.exitCode()).isZero();
        List<String> naiveRows = Tables.lines(dir.resolve("naive.tsv"));
        for (int i = 1; i < rows.size(); i += 997) {
            String[] a = rows.get(i).split("\t");
            String[] b = naiveRows.get(i).split("\t");
            assertThat(a[4]).isEqualTo(b[4]);
            assertThat(Double.parseDouble(a[5])).isCloseTo(Double.parseDouble(b[5]), org.assertj.core.api.Assertions.within(1e-5));
        }
        // minus strand: window position 7000 is the TSS at chr16:42,487; position p maps to 42,487 − (p − 7000)
        // valid bedGraphToBigWig input: no track line, sorted, 0-based half-open
        List<String> bg = Tables.lines(dir.resolve("bg.NM_018032.bedgraph"));
        assertThat(bg).hasSize(10_500);
        assertThat(bg.getFirst()).startsWith("chr16\t" + (42_487 - 3_499 - 1) + "\t" + (42_487 - 3_499) + "\t");
        long previous = -1;
        for (String line : bg) {
            long start = Long.parseLong(line.split("\t")[1]);
            assertThat(start).isGreaterThan(previous);
            previous = start;
        }
        // the overview and, below it, the zoomed logos of the TSS and the strongest position
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(dir.resolve("plot.NM_018032.png").toFile());
        assertThat(png.getHeight()).isEqualTo(740);
        Cli track = Cli.run("ism", "--model", dir.resolve("x.scep"), "--windows", dir.resolve("w.fa"), "--zero-halflife",
                "--id", "NM_018032", "--out", dir.resolve("ism2.tsv"), "--bedgraph", dir.resolve("tr"), "--bedgraph-track-line");
        assertThat(track.exitCode()).as(track.err()).isZero();
        assertThat(Tables.lines(dir.resolve("tr.NM_018032.bedgraph")).getFirst()).startsWith("track type=bedGraph");
        Cli indexed = Cli.run("ism", "--model", dir.resolve("x.scep"), "--windows", dir.resolve("w.fa"), "--zero-halflife",
                "--id", "NM_018032", "--out", dir.resolve("ism3.tsv"), "--bedgraph", dir.resolve("ix"), "--index");
        assertThat(indexed.exitCode()).as(indexed.err()).isZero();
        assertThat(dir.resolve("ix.NM_018032.bedgraph.gz.tbi")).isRegularFile();
        try (htsjdk.tribble.readers.TabixReader tabix = new htsjdk.tribble.readers.TabixReader(dir.resolve("ix.NM_018032.bedgraph.gz").toString())) {
            htsjdk.tribble.readers.TabixReader.Iterator it = tabix.query("chr16:40001-40010");   // 1-based, as tabix takes it: 0-based starts 40000..40009
            List<String> got = new java.util.ArrayList<>();
            for (String line; (line = it.next()) != null; ) {
                got.add(line);
            }
            assertThat(got).hasSize(10);
            assertThat(got.getFirst()).startsWith("chr16\t40000\t40001\t");
        }

        Cli missing = Cli.run("ism", "--model", dir.resolve("x.scep"), "--windows", dir.resolve("w.fa"), "--zero-halflife",
                "--id", "NOPE", "--out", dir.resolve("none.tsv"));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("has the id(s) [NOPE]");
        assertThat(dir.resolve("none.tsv")).doesNotExist();
    }
}
