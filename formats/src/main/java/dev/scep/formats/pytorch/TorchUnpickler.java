package dev.scep.formats.pytorch;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code data.pkl} of a {@code torch.save} zip with Pyrolite, building nothing but plain values and the
 * few objects a checkpoint needs: every {@code GLOBAL} is looked up in a fixed allow-list (tensor rebuilding, the
 * storage types, {@code collections.OrderedDict}) and anything else is refused, naming the class; Pyrolite's own
 * (static, process-wide) constructor registry is never consulted. Storages come through the persistent-load hook as
 * references to the zip's {@code data/<key>} entries; their bytes are read later, only for the tensors wanted.
 * Length-prefixed values are checked against the bytes left before Pyrolite allocates them. One instance per file;
 * not thread-safe.
 */
final class TorchUnpickler extends Unpickler {

    /** A class the pickle asked for that is not on the allow-list. */
    static final class RefusedClassException extends PickleException {
        private static final long serialVersionUID = 1L;

        RefusedClassException(String message) {
            super(message);
        }
    }

    /** The element type of a storage, by its Python class name. */
    record StorageType(String name, int bytes, boolean isFloat32) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch." + name + " is a storage type, not something to construct");
        }
    }

    /** A storage: the zip entry {@code data/<key>} holding {@code numel} elements of {@code type}. */
    record StorageRef(String key, StorageType type, long numel) {
    }

    /** A tensor as {@code _rebuild_tensor_v2} describes it: a view of a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    /** {@code collections.OrderedDict} (a state dict); BUILD state on it (the {@code _metadata}) is ignored. */
    static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }

    private static final Map<String, StorageType> STORAGES = Map.ofEntries(
            storage("FloatStorage", 4, true), storage("DoubleStorage", 8, false), storage("HalfStorage", 2, false),
            storage("BFloat16Storage", 2, false), storage("LongStorage", 8, false), storage("IntStorage", 4, false),
            storage("ShortStorage", 2, false), storage("CharStorage", 1, false), storage("ByteStorage", 1, false),
            storage("BoolStorage", 1, false));

    /** What the allow-list names, for messages. */
    static final String ALLOWED = "collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter,"
            + " torch.<Type>Storage";

    private static Map.Entry<String, StorageType> storage(String name, int bytes, boolean f32) {
        return Map.entry(name, new StorageType(name, bytes, f32));
    }

    private final byte[] pickle;

    TorchUnpickler(byte[] pickle) {
        this.pickle = pickle;
    }

    Object load() throws IOException {
        return load(new ByteArrayInputStream(pickle));
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case 99 -> { // GLOBAL
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case 147 -> { // STACK_GLOBAL
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(resolve(String.valueOf(module), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            case 98 -> { // BUILD: only a state dict's metadata
                stack.pop();
                if (!(stack.peek() instanceof OrderedDict)) {
                    throw new PickleException("BUILD (setting an object's state) on " + describe(stack.peek())
                            + " is not something a checkpoint needs: refused");
                }
                return NO_RETURN_VALUE;
            }
            case 117 -> { // SETITEMS, in order (Pyrolite's goes through a HashMap, losing a state dict's order)
                List<Object> items = stack.pop_all_since_marker();
                if (!(stack.peek() instanceof Map<?, ?> target) || items.size() % 2 != 0) {
                    throw new PickleException("SETITEMS without a dict or with an odd number of items");
                }
                @SuppressWarnings("unchecked")
                Map<Object, Object> dict = (Map<Object, Object>) target;
                for (int i = 0; i < items.size(); i += 2) {
                    dict.put(hashable(items.get(i)), items.get(i + 1));
                }
                return NO_RETURN_VALUE;
            }
            case 105, 111, 130, 131, 132 -> throw new RefusedClassException("the pickle uses opcode "
                    + (key == 105 ? "INST" : key == 111 ? "OBJ" : "EXT" + (key == 132 ? 4 : key - 129))
                    + ", which builds objects outside the allow-list (" + ALLOWED + "): refused");
            case 84, 88, 66, 139 -> checkLength(4); // BINSTRING, BINUNICODE, BINBYTES, LONG4
            case 141, 142, 150 -> checkLength(8);   // BINUNICODE8, BINBYTES8, BYTEARRAY8
            default -> {
            }
        }
        return super.dispatch(key);
    }

    /** A length prefix larger than the bytes left is a corrupted pickle: said before Pyrolite allocates it. */
    private void checkLength(int bytes) throws IOException {
        input.mark(bytes);
        byte[] b = input.readNBytes(bytes);
        input.reset();
        if (b.length < bytes) {
            throw new PickleException("the pickle ends inside a length prefix");
        }
        long n = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            n = (n << 8) | (b[i] & 0xff);
        }
        if (n < 0 || n > input.available() - bytes) {
            throw new PickleException("a value claims " + Long.toUnsignedString(n) + " bytes but only "
                    + (input.available() - bytes) + " are left in the pickle");
        }
    }

    /** A dict key: strings and numbers (a tuple key would compare by identity, and checkpoints have none). */
    private static Object hashable(Object key) {
        if (key instanceof String || key instanceof Number || key instanceof Boolean || key == null) {
            return key;
        }
        throw new PickleException("a dict key of type " + describe(key) + " is not something a checkpoint holds");
    }

    private static IObjectConstructor resolve(String module, String name) {
        String full = module + "." + name;
        switch (full) {
            case "collections.OrderedDict" -> {
                return args -> {
                    if (args.length != 0) {
                        throw new PickleException("collections.OrderedDict with arguments is not supported");
                    }
                    return new OrderedDict();
                };
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                return TorchUnpickler::rebuildTensor;
            }
            case "torch._utils._rebuild_parameter" -> {
                return args -> {
                    if (args.length < 1 || !(args[0] instanceof TensorRef)) {
                        throw new PickleException("torch._utils._rebuild_parameter without a tensor");
                    }
                    return args[0];
                };
            }
            default -> {
            }
        }
        if (module.equals("torch") && STORAGES.containsKey(name)) {
            return STORAGES.get(name);
        }
        throw new RefusedClassException("the pickle asks for the Python class " + full
                + ", which is not on the allow-list (" + ALLOWED + "): refused, nothing was built from it");
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef s)) {
            throw new PickleException("torch._utils._rebuild_tensor_v2 needs a storage, offset, size and stride");
        }
        long offset = asLong(args[1], "storage_offset");
        long[] size = longs(args[2], "size");
        long[] stride = longs(args[3], "stride");
        if (size.length != stride.length) {
            throw new PickleException("tensor size " + java.util.Arrays.toString(size) + " and stride "
                    + java.util.Arrays.toString(stride) + " differ in rank");
        }
        return new TensorRef(s, offset, size, stride);
    }

    @Override
    protected Object persistentLoad(Object pid) {
        // ('storage', <StorageType>, key, location, numel)
        if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)
                || !(t[2] instanceof String key)) {
            throw new PickleException("a persistent id other than ('storage', type, key, location, numel): " + describe(pid));
        }
        return new StorageRef(key, type, asLong(t[4], "storage numel"));
    }

    private static long asLong(Object o, String what) {
        if (o instanceof Integer || o instanceof Long) {
            long v = ((Number) o).longValue();
            if (v >= 0) {
                return v;
            }
        }
        throw new PickleException(what + " should be a non-negative integer, got " + describe(o));
    }

    private static long[] longs(Object o, String what) {
        if (!(o instanceof Object[] a)) {
            throw new PickleException("tensor " + what + " should be a tuple, got " + describe(o));
        }
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = asLong(a[i], "tensor " + what);
        }
        return r;
    }

    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Object[] a) {
            return "tuple of " + a.length;
        }
        if (o instanceof List<?> l) {
            return "list of " + l.size();
        }
        return o.getClass().getSimpleName();
    }
}
