namespace MLNeuro.Estimators;

/// <summary>The ONNX tensor element types MLNeuro graphs use; values are ONNX's <c>TensorProto.DataType</c> codes.</summary>
internal enum OnnxElementType
{
    /// <summary>32-bit float: activations and weights.</summary>
    Float = 1,

    /// <summary>Boolean: masks.</summary>
    Bool = 9,

    /// <summary>64-bit integer: shapes, axes, indices.</summary>
    Int64 = 7,

    /// <summary>64-bit float: timestamps in seconds, whose rotary phases need more than float32's precision.</summary>
    Double = 11,
}
