namespace NeuralNet.Optimizers;

/// <summary>Where <see cref="Momentum"/> puts the learning rate <c>η</c>.</summary>
public enum MomentumForm
{
    /// <summary>Inside the velocity (Sutskever et al., 2013; Keras): <c>v ← μ v - η g</c>, <c>θ ← θ + v</c>.</summary>
    Sutskever,

    /// <summary>Outside the velocity (<c>torch.optim.SGD</c>): <c>b ← μ b + g</c>, <c>θ ← θ - η b</c>, so a schedule's
    /// new rate scales the whole step at once.</summary>
    PyTorch,
}
