using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>
/// Limited-memory BFGS (Nocedal, 1980; Liu and Nocedal, 1989), the full-batch quasi-Newton method scikit-learn's MLP
/// uses for small data. Each step: direction <c>d = -H g</c> from the two-loop recursion over the last
/// <see cref="HistorySize"/> pairs <c>s = θ_{k+1} - θ_k</c>, <c>y = g_{k+1} - g_k</c> (with <c>H0 = (sᵀy / yᵀy) I</c>),
/// then a backtracking line search from <c>α = 1</c> (the first step from <c>α = η / max(1, ‖g‖₁)</c>) until the Armijo
/// condition <c>L(θ + α d) ≤ L(θ) + c1 α gᵀd</c> holds. Pairs with <c>sᵀy ≤ 1e-10 yᵀy</c> are skipped, which keeps
/// <c>H</c> positive definite.
/// </summary>
/// <remarks>Needs the trainer's <c>evaluate</c> closure (it recomputes the loss and gradients along the line); the
/// trainer steps once per epoch on the whole training set. Arithmetic is in double for float networks too.</remarks>
public sealed class Lbfgs : Optimizer
{
    private const double ArmijoC1 = 1e-4;
    private const int MaxBacktracks = 30;
    private readonly List<double[]> _s = [];
    private readonly List<double[]> _y = [];
    private double[] _theta0 = [], _g0 = [], _direction = [], _alpha = [], _trial = [];
    private object? _view;
    private object? _viewOf;

    /// <summary>Creates L-BFGS.</summary>
    /// <param name="learningRate">Scales the first step only (later steps start the line search at 1).</param>
    /// <param name="historySize">Curvature pairs kept, <c>m</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public Lbfgs(double learningRate = 1.0, int historySize = 10)
        : base(learningRate)
    {
        ThrowHelper.ThrowIfNotPositive(historySize, nameof(historySize));
        HistorySize = historySize;
    }

    /// <summary>Curvature pairs kept, <c>m</c>.</summary>
    public int HistorySize { get; }

    /// <inheritdoc />
    public override string Name => "lbfgs";

    /// <inheritdoc />
    public override bool RequiresFullBatch => true;

    /// <inheritdoc />
    protected override int SlotsPerParameter => 0;

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        _s.Clear();
        _view = null;
        _viewOf = null;
        _y.Clear();
    }

    /// <summary>Exports the curvature pairs as tensors <c>s0, y0, s1, y1, ...</c>, oldest first.</summary>
    public override OptimizerState ExportState()
    {
        var tensors = new List<double[]>(2 * _s.Count);
        for (int k = 0; k < _s.Count; k++)
        {
            tensors.Add((double[])_s[k].Clone());
            tensors.Add((double[])_y[k].Clone());
        }

        return new OptimizerState(Name, StepCount, tensors, []);
    }

    /// <inheritdoc />
    public override void ImportState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        base.ImportState(state with { Tensors = [] });
        if (state.Tensors.Count % 2 != 0 || state.Tensors.Count > 2 * HistorySize)
        {
            throw new ArgumentException($"An L-BFGS state holds pairs of tensors, at most {2 * HistorySize}; received {state.Tensors.Count}.", nameof(state));
        }

        _s.Clear();
        _y.Clear();
        for (int k = 0; k < state.Tensors.Count; k += 2)
        {
            _s.Add((double[])state.Tensors[k].Clone());
            _y.Add((double[])state.Tensors[k + 1].Clone());
        }
    }

    /// <inheritdoc />
    protected override void StepCore<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate)
    {
        if (evaluate is null)
        {
            throw new ArgumentNullException(nameof(evaluate), "L-BFGS needs a closure that recomputes the loss and gradients for its line search.");
        }

        ParameterSet<T> set = View(parameters);
        int n = set.Length;
        if (_theta0.Length != n)
        {
            _theta0 = new double[n];
            _g0 = new double[n];
            _direction = new double[n];
            _trial = new double[n];
            _alpha = new double[HistorySize];
        }

        if (_s.Count > 0 && _s[0].Length != n)
        {
            throw new InvalidOperationException($"The L-BFGS history is for {_s[0].Length} parameters, the network has {n}; call Reset() first.");
        }

        set.CopyValuesTo<double>(_theta0);
        set.CopyGradientsTo<double>(_g0);
        double f0 = double.CreateTruncating(loss);

        TwoLoop(_g0, _direction);
        double slope = Dot(_g0, _direction);
        double step = 1.0;
        if (_s.Count == 0 || !(slope < 0))
        {
            // No curvature yet (or a direction that does not descend): steepest descent, scaled like PyTorch's L-BFGS.
            _s.Clear();
            _y.Clear();
            for (int i = 0; i < n; i++)
            {
                _direction[i] = -_g0[i];
            }

            slope = -Dot(_g0, _g0);
            double norm1 = 0;
            foreach (double g in _g0)
            {
                norm1 += Math.Abs(g);
            }

            step = LearningRate / Math.Max(1.0, norm1);
        }

        if (slope == 0)
        {
            return;
        }

        double f = f0;
        for (int attempt = 0; attempt <= MaxBacktracks; attempt++)
        {
            MoveTo(set, step);
            f = double.CreateTruncating(evaluate());
            if (f <= f0 + ArmijoC1 * step * slope)
            {
                break;
            }

            step *= 0.5;
        }

        if (!(f <= f0))
        {
            // No decrease along the line: stay put and forget the curvature, which no longer describes the surface.
            MoveTo(set, 0.0);
            evaluate();
            _s.Clear();
            _y.Clear();
            return;
        }

        // New curvature pair: s = α d, y = g(θ + α d) - g(θ).
        var s = new double[n];
        var y = new double[n];
        set.CopyGradientsTo<double>(y);
        for (int i = 0; i < n; i++)
        {
            s[i] = step * _direction[i];
            y[i] -= _g0[i];
        }

        if (Dot(s, y) > 1e-10 * Dot(y, y))
        {
            if (_s.Count == HistorySize)
            {
                _s.RemoveAt(0);
                _y.RemoveAt(0);
            }

            _s.Add(s);
            _y.Add(y);
        }
    }

    /// <summary>d = -H g by the two-loop recursion (Nocedal and Wright, Algorithm 7.4).</summary>
    private void TwoLoop(double[] g, double[] d)
    {
        Array.Copy(g, d, g.Length);
        int m = _s.Count;
        for (int k = m - 1; k >= 0; k--)
        {
            double rho = 1.0 / Dot(_y[k], _s[k]);
            double a = rho * Dot(_s[k], d);
            _alpha[k] = a;
            Axpy(-a, _y[k], d);
        }

        double gamma = m > 0 ? Dot(_s[m - 1], _y[m - 1]) / Dot(_y[m - 1], _y[m - 1]) : 1.0;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] *= gamma;
        }

        for (int k = 0; k < m; k++)
        {
            double rho = 1.0 / Dot(_y[k], _s[k]);
            double b = rho * Dot(_y[k], d);
            Axpy(_alpha[k] - b, _s[k], d);
        }

        for (int i = 0; i < d.Length; i++)
        {
            d[i] = -d[i];
        }
    }

    /// <summary>The flat view of <paramref name="parameters"/>, kept while the trainer passes the same list.</summary>
    private ParameterSet<T> View<T>(IReadOnlyList<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!ReferenceEquals(_viewOf, parameters) || _view is not ParameterSet<T> view)
        {
            view = new ParameterSet<T>(parameters);
            _view = view;
            _viewOf = parameters;
        }

        return view;
    }

    /// <summary>θ = θ0 + α d, rounded once to <typeparamref name="T"/>.</summary>
    private void MoveTo<T>(ParameterSet<T> set, double alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < _trial.Length; i++)
        {
            _trial[i] = _theta0[i] + alpha * _direction[i];
        }

        set.SetValues<double>(_trial);
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += a * x[i];
        }
    }
}
