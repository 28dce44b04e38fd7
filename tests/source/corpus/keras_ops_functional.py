# ruff: noqa  (tutorial code kept as people write it)
"""Functional models that use keras.ops and Python operators on Keras tensors: scaling
pixels in the model, pooling by reductions, concatenating with the default axis, and a
lambda computing a shape-preserving expression."""
import keras
from keras import layers, ops

inputs = keras.Input(shape=(28, 28))
x = inputs / 255.0
x = ops.expand_dims(x, -1)
x = layers.Conv2D(8, 3, activation="relu")(x)
pooled_mean = ops.mean(x, axis=(1, 2))
pooled_max = ops.max(x, axis=[1, 2])
summed = ops.sum(x, axis=-1, keepdims=True)
flat = ops.reshape(summed, (-1, 26 * 26))
features = ops.concatenate([pooled_mean, pooled_max], axis=-1)
features = ops.relu(features) ** 2 + ops.exp(-ops.abs(features))
gate = ops.sigmoid(layers.Dense(16)(features))
mixed = ops.concatenate([features * gate, layers.Dense(16)(flat)])
outputs = layers.Dense(10)(layers.Lambda(lambda t: ops.square(t) - 1.0)(mixed))
model = keras.Model(inputs, outputs, name="ops_cnn")
model.summary()

a = keras.Input(shape=(4, 6))
b = keras.Input(shape=(6, 4))
scores = ops.matmul(a, ops.squeeze(ops.expand_dims(b, 1), axis=1))
weights = ops.softmax(ops.transpose(scores, (0, 2, 1)) / 6.0 ** 0.5, axis=-1)
attended = ops.matmul(weights, a)
merged = ops.concatenate([attended, a], axis=1)
reduced = ops.prod(ops.mean(merged, axis=1, keepdims=True), axis=1)
pairs = keras.Model([a, b], [reduced, ops.min(merged, axis=2), ops.cast(merged, "float16")], name="ops_attention")
pairs.summary()
