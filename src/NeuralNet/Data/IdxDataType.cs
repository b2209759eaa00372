namespace NeuralNet.Data;

/// <summary>The element types of the IDX format (the third byte of the magic number), big-endian on disk.</summary>
public enum IdxDataType : byte
{
    /// <summary>Unsigned byte (0x08); MNIST images and labels.</summary>
    UnsignedByte = 0x08,

    /// <summary>Signed byte (0x09).</summary>
    SignedByte = 0x09,

    /// <summary>16-bit signed integer (0x0B).</summary>
    Int16 = 0x0B,

    /// <summary>32-bit signed integer (0x0C).</summary>
    Int32 = 0x0C,

    /// <summary>32-bit IEEE float (0x0D).</summary>
    Single = 0x0D,

    /// <summary>64-bit IEEE float (0x0E).</summary>
    Double = 0x0E,
}
