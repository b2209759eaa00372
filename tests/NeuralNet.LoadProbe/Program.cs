using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Serialization;

// Usage: NeuralNet.LoadProbe <kind> <path>
// Exit codes: 0 loaded, 2 InvalidDataFileException (the documented rejection), 3 out of memory, 4 any other exception,
// 64 bad usage. The first line of output says which, with the message.
if (args.Length != 2)
{
    Console.WriteLine("usage: NeuralNet.LoadProbe <model-float|model-double|checkpoint-float|checkpoint-double|csv|idx-matrix|idx-labels> <path>");
    return 64;
}

string kind = args[0], path = args[1];
try
{
    string summary = kind switch
    {
        "model-float" => ModelFile.Load<float>(path).Network.ParameterCount.ToString(),
        "model-double" => ModelFile.Load<double>(path).Network.ParameterCount.ToString(),
        "checkpoint-float" => Checkpoint.Load<float>(path).EpochsCompleted.ToString(),
        "checkpoint-double" => Checkpoint.Load<double>(path).EpochsCompleted.ToString(),
        "csv" => CsvLoader.Load<float>(path).Features.RowCount.ToString(),
        "idx-matrix" => IdxFile.ReadMatrix<float>(path).RowCount.ToString(),
        "idx-labels" => IdxFile.ReadLabels(path).Length.ToString(),
        _ => throw new ArgumentException($"unknown kind '{kind}'"),
    };
    Console.WriteLine($"loaded: {summary}");
    return 0;
}
catch (InvalidDataFileException e)
{
    Console.WriteLine($"invalid: {e.Message}");
    return 2;
}
catch (OutOfMemoryException e)
{
    Console.WriteLine($"out of memory: {e.Message}");
    return 3;
}
catch (Exception e)
{
    Console.WriteLine($"other: {e.GetType().FullName}: {e.Message}");
    return 4;
}
