package dev.scep.formats.pytorch;

import dev.scep.formats.model.ModelFormatException;
import dev.scep.formats.model.Tensor;
import net.razorvine.pickle.PickleException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The state dict of a PyTorch checkpoint, read without Python: the zip format of {@code torch.save} (PyTorch 1.6 and
 * later: {@code <name>/data.pkl}, a pickle, and {@code <name>/data/<key>}, the storages). The checkpoint is either a
 * dict with a {@code state_dict} entry, as the original scEP's {@code train()} saves it (with {@code epoch},
 * {@code optimizer}, {@code scheduler}), or a bare state dict. The pickle is read with an allow-list of classes
 * (tensor rebuilding, storage types, {@code collections.OrderedDict}); a pickle asking for any other class is
 * refused, naming it. Each entry's CRC is checked, and every size is checked against the file before anything is
 * allocated from it.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class PytorchCheckpoint {
    /** The largest {@code data.pkl} read: 256 MB, far above any checkpoint's (the example's are 3 kB). */
    private static final long MAX_PICKLE = 256L << 20;

    private final Path file;
    private final Map<String, Tensor> stateDict;
    private final Map<String, String> skipped;
    private final Long epoch;

    private PytorchCheckpoint(Path file, Map<String, Tensor> stateDict, Map<String, String> skipped, Long epoch) {
        this.file = file;
        this.stateDict = Collections.unmodifiableMap(stateDict);
        this.skipped = Collections.unmodifiableMap(skipped);
        this.epoch = epoch;
    }

    /**
     * Reads a checkpoint's state dict.
     *
     * @param file a {@code torch.save} zip file
     * @return its float32 tensors by state-dict key, in the file's order
     * @throws NoSuchFileException  when {@code file} is not a regular file
     * @throws ModelFormatException naming the file (and the entry or key) when it is not a complete {@code torch.save}
     *                              zip, an entry is corrupted, the pickle asks for a class outside the allow-list, has
     *                              no state dict, or a tensor does not fit its storage
     * @throws IOException          when the file cannot be read
     */
    public static PytorchCheckpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "PyTorch checkpoint not found");
        }
        byte[] magic;
        try (InputStream in = Files.newInputStream(file)) {
            magic = in.readNBytes(4);
        }
        if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) {
            throw new ModelFormatException(file, magic.length > 0 && (magic[0] & 0xff) == 0x80
                    ? "a legacy (pre-1.6, non-zip) torch.save file: load and save it again with PyTorch 1.6 or later"
                    : "not a PyTorch checkpoint (the zip format of torch.save): it does not start with a zip header");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return read(file, zip);
        } catch (ZipException e) {
            throw new ModelFormatException(file, "not a complete torch.save zip (truncated or damaged): " + e.getMessage(), e);
        }
    }

    private static PytorchCheckpoint read(Path file, ZipFile zip) throws IOException {
        long fileSize = Files.size(file);
        ZipEntry pkl = null;
        for (var e = zip.entries(); e.hasMoreElements(); ) {
            ZipEntry entry = e.nextElement();
            String n = entry.getName();
            if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                if (pkl != null) {
                    throw new ModelFormatException(file, "two pickles in one checkpoint: " + pkl.getName() + " and " + n);
                }
                pkl = entry;
            }
        }
        if (pkl == null) {
            throw new ModelFormatException(file, "no <name>/data.pkl entry: not a torch.save zip");
        }
        String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
        ZipEntry order = zip.getEntry(prefix + "byteorder");
        if (order != null) {
            String bo = new String(entry(file, zip, order, 16), StandardCharsets.US_ASCII).strip();
            if (!bo.equals("little")) {
                throw new ModelFormatException(file, prefix + "byteorder says '" + bo + "': only little-endian checkpoints are read");
            }
        }
        byte[] pickle = entry(file, zip, pkl, Math.min(MAX_PICKLE, fileSize));
        Object top;
        try {
            top = new TorchUnpickler(pickle).load();
        } catch (TorchUnpickler.RefusedClassException e) {
            throw new ModelFormatException(file, pkl.getName() + ": " + e.getMessage(), e);
        } catch (PickleException | IOException | ClassCastException | IndexOutOfBoundsException | IllegalStateException e) {
            throw new ModelFormatException(file, pkl.getName() + ": not a readable pickle (corrupted?): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new ModelFormatException(file, pkl.getName() + ": not a readable pickle (corrupted?): " + e, e);
        }
        Map<?, ?> dict;
        Long epoch = null;
        if (top instanceof Map<?, ?> m && m.get("state_dict") instanceof Map<?, ?> sd) {
            dict = sd;
            if (m.get("epoch") instanceof Number n) {
                epoch = n.longValue();
            }
        } else if (top instanceof Map<?, ?> m && !m.isEmpty() && m.values().stream().allMatch(v -> v instanceof TorchUnpickler.TensorRef)) {
            dict = m;
        } else {
            throw new ModelFormatException(file, "holds no state dict: neither a dict with 'state_dict' nor a dict of tensors"
                    + (top instanceof Map<?, ?> m ? " (keys " + m.keySet() + ")" : " (a " + TorchUnpickler.describe(top) + ")"));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        Map<String, byte[]> storages = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof TorchUnpickler.TensorRef t)) {
                skipped.put(key, TorchUnpickler.describe(e.getValue()));
                continue;
            }
            if (!t.storage().type().isFloat32()) {
                skipped.put(key, t.storage().type().name());
                continue;
            }
            tensors.put(key, tensor(file, zip, prefix, key, t, storages, fileSize));
        }
        return new PytorchCheckpoint(file, tensors, skipped, epoch);
    }

    private static Tensor tensor(Path file, ZipFile zip, String prefix, String key, TorchUnpickler.TensorRef t,
                                 Map<String, byte[]> storages, long fileSize) throws IOException {
        String where = "tensor " + key;
        if (t.size().length > 8) {
            throw new ModelFormatException(file, where + ": rank " + t.size().length + " is not a network parameter's");
        }
        int[] shape = new int[t.size().length];
        long count = 1;
        long last = t.offset();   // the highest element index the view reaches
        for (int i = 0; i < shape.length; i++) {
            if (t.size()[i] > Integer.MAX_VALUE) {
                throw new ModelFormatException(file, where + ": dimension " + t.size()[i] + " is too large");
            }
            shape[i] = (int) t.size()[i];
            count = Math.multiplyHigh(count, shape[i]) != 0 ? Long.MAX_VALUE : count * shape[i];
            if (shape[i] > 0) {
                last = saturatingAdd(last, saturatingMultiply(shape[i] - 1L, t.stride()[i]));
            }
        }
        if (count > fileSize / 4 + 1) {
            throw new ModelFormatException(file, where + ": shape " + Arrays.toString(shape) + " holds more values than the file");
        }
        if (count > 0 && last >= t.storage().numel()) {
            throw new ModelFormatException(file, where + ": shape " + Arrays.toString(shape) + " with stride "
                    + Arrays.toString(t.stride()) + " at offset " + t.offset() + " runs past its storage of "
                    + t.storage().numel() + " values (data/" + t.storage().key() + ")");
        }
        byte[] data = storages.get(t.storage().key());
        if (data == null) {
            ZipEntry e = zip.getEntry(prefix + "data/" + t.storage().key());
            if (e == null) {
                throw new ModelFormatException(file, where + ": its storage " + prefix + "data/" + t.storage().key() + " is missing");
            }
            long need = t.storage().numel() * 4;
            if (e.getSize() != need) {
                throw new ModelFormatException(file, where + ": storage " + e.getName() + " holds " + e.getSize()
                        + " bytes, the pickle says " + t.storage().numel() + " float32 values (" + need + " bytes)");
            }
            data = entry(file, zip, e, fileSize);
            storages.put(t.storage().key(), data);
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[(int) count];
        int[] index = new int[shape.length];
        for (int n = 0; n < values.length; n++) {
            long at = t.offset();
            for (int i = 0; i < shape.length; i++) {
                at += index[i] * t.stride()[i];
            }
            values[n] = b.getFloat((int) (at * 4));
            for (int i = shape.length - 1; i >= 0; i--) {
                if (++index[i] < shape[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
        return Tensor.of(shape, values);
    }

    private static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        return hi != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    /** An entry's bytes, its size checked before allocating and its CRC after reading. */
    private static byte[] entry(Path file, ZipFile zip, ZipEntry e, long max) throws IOException {
        long size = e.getSize();
        if (size < 0 || size > max) {
            throw new ModelFormatException(file, e.getName() + ": entry size " + size + " is out of range (at most " + max + ")");
        }
        byte[] data;
        try (InputStream in = zip.getInputStream(e)) {
            data = in.readNBytes((int) size);
        } catch (ZipException ex) {
            throw new ModelFormatException(file, e.getName() + ": cannot be read (corrupted?): " + ex.getMessage(), ex);
        }
        if (data.length != size) {
            throw new ModelFormatException(file, e.getName() + ": holds " + data.length + " bytes, the zip directory says " + size);
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
            throw new ModelFormatException(file, e.getName() + ": corrupted (its CRC-32 does not match the zip directory's)");
        }
        return data;
    }

    /**
     * The file read.
     *
     * @return its path
     */
    public Path file() {
        return file;
    }

    /**
     * The float32 tensors of the state dict.
     *
     * @return key (e.g. {@code conv.0.weight}) → tensor, in the file's order; unmodifiable
     */
    public Map<String, Tensor> stateDict() {
        return stateDict;
    }

    /**
     * State-dict entries that are not float32 tensors (e.g. a batch-norm counter), which were not read.
     *
     * @return key → what it holds (a storage type or a Python value kind); unmodifiable
     */
    public Map<String, String> skipped() {
        return skipped;
    }

    /**
     * The epoch the checkpoint records, when it records one.
     *
     * @return the {@code epoch} entry beside {@code state_dict}; empty for a bare state dict
     */
    public OptionalLong epoch() {
        return epoch == null ? OptionalLong.empty() : OptionalLong.of(epoch);
    }

    /**
     * The keys of the state dict's float32 tensors.
     *
     * @return the keys, in the file's order (a new list)
     */
    public List<String> keys() {
        return new ArrayList<>(stateDict.keySet());
    }
}
