using System.IO.Compression;
using System.Numerics;
using System.Text.Json;
using NeuralNet.IO;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Serialization;

/// <summary>
/// Training checkpoints: a model file (see <see cref="ModelFile"/>) whose manifest also holds a <c>checkpoint</c>
/// section (epochs completed, the optimiser's name, step count, scalars and tensor lengths, the random-stream
/// state of every dropout layer, the learning-rate schedule's name and state when one is given, and early stopping's
/// progress when given) and whose archive holds the optimiser's state tensors as little-endian doubles
/// (<c>optimizer/{index}.bin</c>) and early stopping's best weights (<c>earlyStopping/bestWeights.bin</c>, doubles).
/// Resuming from one with the same trainer options ends with weights bit-identical to an uninterrupted run: the
/// trainer replays the shuffles of the completed epochs from its seed.
/// </summary>
/// <remarks>
/// Infinite schedule state values (reduce-on-plateau's best value before its first epoch) and a non-finite
/// early-stopping best value are written as the JSON strings <c>"Infinity"</c>, <c>"-Infinity"</c> and (best value
/// only) <c>"NaN"</c>. Malformed checkpoints raise <see cref="InvalidDataFileException"/>, as model files do;
/// checkpoints without a schedule or early-stopping entry still load.
/// </remarks>
public static partial class Checkpoint
{
    private const int MaxOptimizerTensors = 1 << 16;
    private const int MaxScheduleValues = 1 << 16;
    private const string PositiveInfinity = "Infinity";
    private const string NegativeInfinity = "-Infinity";
    private const string NotANumber = "NaN";
    private const string BestWeightsEntry = "earlyStopping/bestWeights.bin";

    /// <summary>Writes a checkpoint atomically.</summary>
    /// <param name="path">Destination; replaced if it exists.</param>
    /// <param name="network">The network being trained.</param>
    /// <param name="optimizer">Its optimiser; <see cref="IOptimizer.ExportState"/> is saved.</param>
    /// <param name="epochsCompleted">Epochs completed so far (at least 0).</param>
    /// <param name="options">Scaler, labels and metadata to keep with the model; none when null.</param>
    /// <param name="schedule">The trainer's learning-rate schedule; its type name and
    /// <see cref="ILearningRateSchedule.ExportState"/> are saved. None when null.</param>
    /// <param name="earlyStopping">Early stopping's progress after epoch <paramref name="epochsCompleted"/>
    /// (<see cref="Trainer{T}.EarlyStoppingState"/>); none when null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochsCompleted"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory; the network cannot be saved (see <see cref="ModelFile.Save{T}"/>), the
    /// optimiser state holds non-finite values, the schedule state holds NaN, or the early-stopping state's best epoch
    /// is after <paramref name="epochsCompleted"/> or its best weights do not fit the network.</exception>
    public static void Save<T>(string path, Network<T> network, IOptimizer optimizer, int epochsCompleted, ModelSaveOptions? options = null, ILearningRateSchedule? schedule = null, EarlyStoppingState? earlyStopping = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        FilePath.ThrowIfNotFile(path, nameof(path));
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (epochsCompleted < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epochsCompleted), epochsCompleted, $"epochsCompleted must be non-negative. Received: epochsCompleted={epochsCompleted}");
        }

        options ??= new ModelSaveOptions();
        ModelFile.CheckSavable(network, options);
        OptimizerState state = optimizer.ExportState();
        foreach (double[] tensor in state.Tensors)
        {
            if (ZipEntries.IndexOfNonFinite<double>(tensor) >= 0)
            {
                throw new ArgumentException($"The {state.Optimizer} optimiser state holds a non-finite value.", nameof(optimizer));
            }
        }

        double[]? scheduleState = null;
        if (schedule is not null)
        {
            // Copied so the values written are the ones checked.
            IReadOnlyList<double> exported = schedule.ExportState();
            scheduleState = new double[exported.Count];
            for (int i = 0; i < scheduleState.Length; i++)
            {
                scheduleState[i] = exported[i];
                if (double.IsNaN(scheduleState[i]))
                {
                    throw new ArgumentException($"The {schedule.GetType().Name} schedule state holds NaN at index {i}.", nameof(schedule));
                }
            }
        }

        if (earlyStopping is not null)
        {
            if (earlyStopping.BestEpoch + earlyStopping.Wait > epochsCompleted)
            {
                throw new ArgumentException($"The early-stopping state (best epoch {earlyStopping.BestEpoch}, {earlyStopping.Wait} epochs waited) runs past epochsCompleted = {epochsCompleted}.", nameof(earlyStopping));
            }

            if (earlyStopping.BestWeights is { } weights && weights.Count != network.SnapshotLength)
            {
                throw new ArgumentException($"The early-stopping state holds {weights.Count} best-weight values but the network has {network.SnapshotLength} parameter and buffer values.", nameof(earlyStopping));
            }
        }

        ZipEntries.WriteArchive(path, zip =>
        {
            ManifestWriter.WriteModel(zip, network, options, json => WriteSection(json, network, state, epochsCompleted, schedule?.GetType().Name, scheduleState, earlyStopping));
            for (int i = 0; i < state.Tensors.Count; i++)
            {
                ZipEntries.WriteTensor<double>(zip, OptimizerEntry(i), state.Tensors[i]);
            }

            if (earlyStopping?.BestWeights is not null)
            {
                ZipEntries.WriteTensor<double>(zip, BestWeightsEntry, earlyStopping.BestWeightsSpan);
            }
        });
    }

    /// <summary>Reads a checkpoint written by <see cref="Save{T}"/>.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <returns>The network (with dropout streams restored), the optimiser state, the schedule and early-stopping
    /// states if they were saved, and the epochs completed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataFileException">The file is not a valid checkpoint; the message says why. Besides
    /// everything <see cref="ModelFile.Load{T}"/> checks, the optimiser state must fit the network (for the optimisers
    /// this library ships, exactly their state tensors, each the length of its parameter), and early stopping's progress
    /// must fit the epochs completed and its best weights the network's state. (A schedule's state is checked by the
    /// schedule itself, in <see cref="TrainingCheckpoint{T}.RestoreSchedule"/>.)</exception>
    public static TrainingCheckpoint<T> Load<T>(string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        FilePath.ThrowIfNotFile(path, nameof(path));
        ThrowHelper.ThrowIfUnsupportedType<T>();
        return ZipEntries.ReadArchive(path, archive =>
        {
            string name = archive.Name;
            SavedModel<T> model = ManifestReader.ReadModel<T>(archive, out JsonDocument manifest);
            using (manifest)
            {
                var root = new JsonSection(manifest.RootElement, $"{name}: manifest");
                if (!root.Has("checkpoint"))
                {
                    throw new InvalidDataFileException($"{name}: a model file without a 'checkpoint' section; it holds no optimiser state to resume from.");
                }

                JsonSection section = root.GetObject("checkpoint", $"{name}: checkpoint");
                int epochs = section.GetInt("epochsCompleted", 0, int.MaxValue);
                JsonSection optimizer = section.GetObject("optimizer", $"{name}: checkpoint optimizer");
                string optimizerName = optimizer.GetString("name");
                long steps = optimizer.GetInt("stepCount", 0, int.MaxValue);
                JsonElement lengths = optimizer.GetArray("tensorLengths", MaxOptimizerTensors);
                string?[] digests = ReadDigests(optimizer, "tensorSha256", lengths.GetArrayLength(), name);

                // Every tensor's length is checked against the network and claimed (size, budget) before any is allocated.
                var sizes = new int[lengths.GetArrayLength()];
                int k = 0;
                foreach (JsonElement item in lengths.EnumerateArray())
                {
                    string where = $"{name}: checkpoint optimizer tensor {k}";
                    if (!item.TryGetInt32(out int n) || n < 0)
                    {
                        throw new InvalidDataFileException($"{where}: length must be a non-negative integer, found {JsonSection.Describe(item)}.");
                    }

                    sizes[k++] = n;
                }

                CheckOptimizerLayout(optimizerName, sizes, model.Network, name);
                for (int i = 0; i < sizes.Length; i++)
                {
                    archive.Claim(OptimizerEntry(i), sizes[i] * 8L, $"{name}: checkpoint optimizer tensor {i}");
                }

                var tensors = new List<double[]>(sizes.Length);
                for (int i = 0; i < sizes.Length; i++)
                {
                    var tensor = new double[sizes[i]];
                    archive.ReadTensor<double>(OptimizerEntry(i), tensor, $"{name}: checkpoint optimizer tensor {i}", digests[i], claimed: true);
                    tensors.Add(tensor);
                }

                JsonElement scalars = optimizer.GetArray("scalars", MaxOptimizerTensors);
                double[] scalarValues = optimizer.GetFiniteDoubles("scalars", scalars.GetArrayLength());
                RestoreRandomStates(model.Network, section, name);
                string? scheduleName = null;
                double[]? scheduleState = null;
                if (section.Has("schedule"))
                {
                    JsonSection schedule = section.GetObject("schedule", $"{name}: checkpoint schedule");
                    scheduleName = schedule.GetString("name");
                    if (scheduleName.Length == 0)
                    {
                        throw new InvalidDataFileException($"{name}: checkpoint schedule field 'name' is empty.");
                    }

                    scheduleState = ReadScheduleState(schedule.GetArray("state", MaxScheduleValues), name);
                }

                EarlyStoppingState? earlyStopping = section.Has("earlyStopping")
                    ? ReadEarlyStopping(archive, section.GetObject("earlyStopping", $"{name}: checkpoint earlyStopping"), model.Network, epochs, name)
                    : null;
                return new TrainingCheckpoint<T>(model, new OptimizerState(optimizerName, steps, tensors, scalarValues), epochs, scheduleName, scheduleState, earlyStopping);
            }
        });
    }

    /// <summary>State tensors per parameter of the optimisers this library ships (slot-major: tensor
    /// <c>slot * P + i</c> has the length of parameter <c>i</c>); L-BFGS stores pairs of full-length vectors.</summary>
    private static readonly Dictionary<string, int> SlotsPerParameter = new(StringComparer.Ordinal)
    {
        ["sgd"] = 0,
        ["momentum"] = 1,
        ["nesterov"] = 1,
        ["adagrad"] = 1,
        ["rmsprop"] = 1,
        ["adam"] = 2,
        ["adamw"] = 2,
        ["irprop-"] = 2,
    };

    /// <summary>Rejects optimiser state that does not fit <paramref name="network"/>, which would otherwise load and fail
    /// only inside the next fit. Known optimisers must have exactly their slots (or none, before the first step);
    /// others, if their tensor count is a multiple of the parameter count, the slot-major lengths.</summary>
    private static void CheckOptimizerLayout<T>(string optimizer, int[] sizes, Network<T> network, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sizes.Length == 0)
        {
            return;
        }

        IReadOnlyList<Parameter<T>> parameters = network.Parameters;
        int p = parameters.Count;
        string where = $"{name}: checkpoint optimizer '{optimizer}'";
        if (optimizer == "lbfgs")
        {
            long n = network.ParameterCount;
            int wrong = Array.FindIndex(sizes, s => s != n);
            if (sizes.Length % 2 != 0 || wrong >= 0)
            {
                throw new InvalidDataFileException(wrong >= 0
                    ? $"{where}: tensor {wrong} has {sizes[wrong]:N0} values, but the network has {n:N0} parameters (L-BFGS stores full-length curvature pairs)."
                    : $"{where}: {sizes.Length} tensors; L-BFGS stores pairs.");
            }

            return;
        }

        bool known = SlotsPerParameter.TryGetValue(optimizer, out int slots);
        if (known ? sizes.Length != slots * p : sizes.Length % p != 0)
        {
            throw new InvalidDataFileException(known
                ? $"{where}: {sizes.Length} state tensors, but {optimizer} keeps {slots} per parameter and the network has {p} parameters ({slots * p} tensors)."
                : $"{where}: {sizes.Length} state tensors do not divide among the network's {p} parameters.");
        }

        for (int k = 0; k < sizes.Length; k++)
        {
            int expected = parameters[k % p].Length;
            if (sizes[k] != expected)
            {
                throw new InvalidDataFileException($"{where}: state tensor {k} has {sizes[k]:N0} values, but it belongs to parameter {k % p} ({parameters[k % p].Name}), which has {expected:N0}.");
            }
        }
    }

    /// <summary>Reads an optional array of <paramref name="count"/> SHA-256 digests (absent in files written before
    /// digests: then nulls).</summary>
    private static string?[] ReadDigests(JsonSection section, string field, int count, string name)
    {
        var digests = new string?[count];
        if (!section.Has(field))
        {
            return digests;
        }

        JsonElement array = section.GetArray(field, count);
        if (array.GetArrayLength() != count)
        {
            throw new InvalidDataFileException($"{name}: checkpoint field '{field}' has {array.GetArrayLength()} digests for {count} tensors.");
        }

        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            digests[i++] = item.ValueKind == JsonValueKind.String
                ? item.GetString()
                : throw new InvalidDataFileException($"{name}: checkpoint field '{field}'[{i - 1}] must be a string, found {JsonSection.Describe(item)}.");
        }

        return digests;
    }

    private static string OptimizerEntry(int index) => $"optimizer/{index}.bin";
}
