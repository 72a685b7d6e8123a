package dev.scep.formats.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hidden temporary files beside an output, so the final rename stays on one file system and is atomic. Every live
 * temporary file is registered and a shutdown hook deletes those left when the JVM stops (SIGTERM, SIGINT, an
 * uncaught error), so an interrupted run leaves no {@code .…tmp} litter behind; one is unregistered once it has been
 * renamed into place or deleted. Thread-safe.
 */
public final class TemporaryFiles {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private TemporaryFiles() {
    }

    /**
     * A new empty file {@code .<target name>.<random><suffix>} in the target's folder, created with the permissions
     * of any new file (0666 less the umask), never by creating folders: a missing folder is an error naming it.
     *
     * @param target the output the temporary file stands in for
     * @param suffix the end of the temporary file's name, e.g. {@code ".tmp"}
     * @return the new empty file, deleted at JVM exit unless {@link #delete}d or renamed into place first
     * @throws java.nio.file.NoSuchFileException when the target's folder does not exist
     * @throws IOException when the file cannot be created
     */
    public static Path beside(Path target, String suffix) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(target.toString(), null, "its folder " + dir + " does not exist");
        }
        installHook();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + suffix);
            try {
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                LIVE.add(tmp);
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 16) {
                    throw e;
                }
            }
        }
    }

    /**
     * Deletes {@code tmp} if it still exists and forgets it.
     *
     * @param tmp a file made by {@link #beside}
     * @throws IOException when it exists and cannot be deleted (it is forgotten all the same)
     */
    public static void delete(Path tmp) throws IOException {
        try {
            Files.deleteIfExists(tmp);
        } finally {
            LIVE.remove(tmp);
        }
    }

    /** Forgets {@code tmp}: it was renamed into place and is an output now. */
    static void release(Path tmp) {
        LIVE.remove(tmp);
    }

    private static void installHook() {
        if (!hookInstalled) {
            synchronized (TemporaryFiles.class) {
                if (!hookInstalled) {
                    Runtime.getRuntime().addShutdownHook(new Thread(TemporaryFiles::deleteAll, "scep-temporary-files"));
                    hookInstalled = true;
                }
            }
        }
    }

    private static void deleteAll() {
        for (Path p : LIVE) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException | RuntimeException ignored) {
                // the JVM is stopping: nothing more can be done about a file that will not go
            }
        }
        LIVE.clear();
    }
}
