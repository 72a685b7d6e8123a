package dev.scep.formats.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules of the one output layer, on the library side (the CLI's corpus is bad-inputs/ in the end-to-end tests). */
class OutputFileTest {
    @TempDir
    Path dir;

    @Test
    void anOutputThatIsAnInputIsRefusedByIdentityNotName() throws IOException {
        Path input = Files.writeString(dir.resolve("in.fa"), ">a\nACGT\n");
        Path hardLink = Files.createLink(dir.resolve("hard.tsv"), input);
        Path symLink = Files.createSymbolicLink(dir.resolve("sym.tsv"), input);
        Path sameByAnotherName = dir.resolve("sub/../in.fa");
        Files.createDirectory(dir.resolve("sub"));
        for (Path target : List.of(input, hardLink, symLink, sameByAnotherName)) {
            assertThatThrownBy(() -> OutputFile.create(target, dir.resolve("other"), input))
                    .isInstanceOf(OutputIsInputException.class).hasMessageContaining("is the same file as the input " + input);
        }
        assertThat(Files.readString(input)).isEqualTo(">a\nACGT\n");
        assertThat(hiddenFiles()).isEmpty();
    }

    @Test
    void committedOutputsReplaceTheTargetAndAbandonedOnesLeaveItAsItWas() throws IOException {
        Path target = Files.writeString(dir.resolve("p.tsv"), "old\n");
        try (OutputFile f = OutputFile.create(target)) {
            f.writer().write("half-written");
            assertThat(hiddenFiles()).hasSize(1);
        }
        assertThat(Files.readString(target)).isEqualTo("old\n");
        assertThat(hiddenFiles()).isEmpty();
        try (OutputFile f = OutputFile.create(target)) {
            f.writer().write("new\n");
            f.stream().write("bytes after text\n".getBytes());
            assertThat(f.position()).isEqualTo(21);
            f.commit();
        }
        assertThat(Files.readString(target)).isEqualTo("new\nbytes after text\n");
        assertThat(hiddenFiles()).isEmpty();
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndStaysALink() throws IOException {
        Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link.tsv"), Path.of("real/p.tsv"));
        try (OutputFile f = OutputFile.create(link)) {
            f.writer().write("x\n");
            f.commit();
        }
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(dir.resolve("real/p.tsv"))).isEqualTo("x\n");
    }

    /** A private copy of the memory device 1,{@code minor} (/dev/null, /dev/full): a regression cannot replace the real one. */
    private Path device(String name, int minor) throws IOException, InterruptedException {
        Path node = dir.resolve(name);
        Process mknod = new ProcessBuilder("mknod", "-m", "666", node.toString(), "c", "1", Integer.toString(minor))
                .redirectErrorStream(true).start();
        mknod.getInputStream().readAllBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(mknod.waitFor() == 0, "making a device node needs root (CAP_MKNOD)");
        return node;
    }

    @Test
    void devicesAreWrittenInPlace() throws IOException, InterruptedException {
        Path devNull = device("null", 3);
        Path devFull = device("full", 7);
        try (OutputFile f = OutputFile.create(devNull)) {
            assertThat(f.direct()).isTrue();
            f.writer().write("discarded\n");
            f.commit();
        }
        assertThat(Files.isRegularFile(devNull)).isFalse();
        assertThatThrownBy(() -> {
            try (OutputFile f = OutputFile.create(devFull)) {
                f.stream().write(new byte[1 << 17]);
                f.commit();
            }
        }).isInstanceOf(FileSystemException.class).hasMessageContaining(devFull.toString()).hasMessageContaining("cannot write");
        assertThat(Files.isRegularFile(devFull)).isFalse();
    }

    @Test
    void noFolderIsEverCreatedButTheOutputFolderItself() throws IOException {
        assertThatThrownBy(() -> OutputFile.create(dir.resolve("a/b/p.tsv"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("its folder " + dir.resolve("a/b") + " does not exist");
        assertThatThrownBy(() -> OutputFile.folder(dir.resolve("a/b"))).isInstanceOf(NoSuchFileException.class);
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(OutputFile.folder(dir.resolve("a"))).isDirectory();
        assertThatThrownBy(() -> OutputFile.create(dir)).isInstanceOf(FileSystemException.class).hasMessageContaining("is a folder");
        Path file = Files.writeString(dir.resolve("f"), "");
        assertThatThrownBy(() -> OutputFile.folder(file)).isInstanceOf(FileSystemException.class).hasMessageContaining("is a file");
    }

    private List<Path> hiddenFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
