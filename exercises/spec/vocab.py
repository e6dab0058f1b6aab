"""The fixed vocabulary of templates: families, E資格 syllabus topics, part kinds, limits."""
from ..kinds import KINDS

FAMILIES = {
    "chain-rule": {"ja": "合成関数の微分（連鎖律）", "en": "Chain rule on composite functions"},
    "node-backprop": {"ja": "加算・乗算ノードの逆伝播", "en": "Add and mul node backprop"},
    "shopping": {"ja": "買い物の計算グラフ", "en": "Shopping price gradients"},
    "numerical-diff": {"ja": "数値微分", "en": "Numerical differentiation"},
    "graph-paths": {"ja": "計算グラフの経路と微分", "en": "Paths in a computational graph"},
    "layer-gradients": {"ja": "Affine レイヤの勾配", "en": "Layer gradients"},
    "activations-losses": {"ja": "活性化関数と損失関数", "en": "Activations and losses"},
    "code-fill": {"ja": "コード穴埋め", "en": "Code fill-in"},
    "gradient-descent": {"ja": "勾配降下法", "en": "Gradient descent"},
    "optimizers": {"ja": "最適化手法（Momentum・AdaGrad・Adam など）", "en": "Optimizers (Momentum, AdaGrad, Adam, ...)"},
    "regularization": {"ja": "正則化（L1・L2・ドロップアウト）", "en": "Regularization (L1, L2, dropout)"},
    "initialization": {"ja": "重みの初期値", "en": "Weight initialization"},
    "normalization": {"ja": "正規化レイヤ（Batch Norm・Layer Norm）", "en": "Normalization layers (batch norm, layer norm)"},
    "cnn": {"ja": "畳み込みとプーリング（CNN）", "en": "Convolution and pooling (CNN)"},
    "rnn": {"ja": "RNN と BPTT", "en": "RNNs and BPTT"},
    "framework-code": {"ja": "フレームワークの自動微分コード（PyTorch・TensorFlow）",
                       "en": "Framework autograd code (PyTorch, TensorFlow)"},
}

TOPICS = {
    "chain-rule": {"ja": "連鎖律", "en": "Chain rule"},
    "computational-graph": {"ja": "計算グラフ", "en": "Computational graphs"},
    "backprop": {"ja": "誤差逆伝播法", "en": "Backpropagation"},
    "activation-functions": {"ja": "活性化関数", "en": "Activation functions"},
    "loss-functions": {"ja": "損失関数", "en": "Loss functions"},
    "affine-layer": {"ja": "Affine レイヤ", "en": "Affine layer"},
    "numerical-differentiation": {"ja": "数値微分", "en": "Numerical differentiation"},
    "optimization": {"ja": "最適化", "en": "Optimisation"},
    "regularization": {"ja": "正則化", "en": "Regularization"},
    "initialization": {"ja": "重みの初期値", "en": "Weight initialization"},
    "normalization": {"ja": "正規化", "en": "Normalization"},
    "cnn": {"ja": "畳み込みニューラルネットワーク", "en": "Convolutional networks"},
    "rnn": {"ja": "再帰型ニューラルネットワーク", "en": "Recurrent networks"},
    "framework": {"ja": "深層学習フレームワーク", "en": "Deep learning frameworks"},
}

PART_KINDS = tuple(KINDS)  # the registry in exercises.kinds

LIMITS = {
    "params": 20,
    "nodes": 40,
    "parts": 12,
    "choices": 8,
    "constraints": 10,
    "text_chars": 4000,
    "hints": 5,
}
