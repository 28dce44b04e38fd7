# ruff: noqa  (tutorial code kept as people write it)
"""Kim (2014) CNN for sentence classification: parallel Conv1D branches."""
from tensorflow.keras import layers, Model

MAX_LEN = 100
VOCAB = 5000
EMB = 64

inp = layers.Input(shape=(MAX_LEN,))
emb = layers.Embedding(VOCAB, EMB)(inp)
pooled = []
for k in [3, 4, 5]:
    c = layers.Conv1D(100, k, activation="relu")(emb)
    pooled.append(layers.GlobalMaxPooling1D()(c))
x = layers.concatenate(pooled)
x = layers.Dropout(0.5)(x)
out = layers.Dense(2, activation="softmax")(x)
model = Model(inp, out)
model.summary()
