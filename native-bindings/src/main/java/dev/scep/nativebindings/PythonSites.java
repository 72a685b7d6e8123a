package dev.scep.nativebindings;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python site-packages folders where NVIDIA's wheels (nvidia-cudnn-cu13, nvidia-cublas, …) may be installed: the
 * active virtual or conda environment, virtual environments under /opt (as PyTorch images ship them), the user's and
 * the system's. Only folders that exist are returned; no Python is run.
 */
final class PythonSites {
    private PythonSites() {
    }

    static List<Path> find(Map<String, String> env) {
        List<Path> prefixes = new ArrayList<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            if (env.get(var) != null && !env.get(var).isBlank()) {
                prefixes.add(Path.of(env.get(var)));
            }
        }
        for (Path opt : children(Path.of("/opt"))) {
            prefixes.add(opt.resolve(".venv"));
            prefixes.add(opt.resolve("venv"));
            prefixes.add(opt);
        }
        if (env.get("HOME") != null) {
            prefixes.add(Path.of(env.get("HOME"), ".local"));
        }
        prefixes.add(Path.of("/usr/local"));
        prefixes.add(Path.of("/usr"));
        List<Path> sites = new ArrayList<>();
        for (Path prefix : prefixes) {
            for (Path lib : children(prefix.resolve("lib"))) {
                if (lib.getFileName().toString().startsWith("python3")) {
                    sites.add(lib.resolve("site-packages"));
                    sites.add(lib.resolve("dist-packages"));
                }
            }
        }
        sites.add(Path.of("/usr/lib/python3/dist-packages"));
        return sites.stream().distinct().filter(p -> Files.isDirectory(p.resolve("nvidia"))).toList();
    }

    private static List<Path> children(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        } catch (IOException | SecurityException e) {
            // an unreadable folder holds nothing we can load
        }
        out.sort(null);
        return out;
    }
}
