# ruff: noqa  (tutorial code kept as people write it)
import keras
from keras import layers

INPUT_SHAPE = (40, 40, 3)
h, w, c = INPUT_SHAPE
k1, k2 = 3, 5


def two_branches(x, filters):
    a = layers.Conv2D(filters, k1, padding="same")(x)
    b = layers.Conv2D(filters, k2, padding="same")(x)
    return a, b


inputs = keras.Input(shape=(h, w, c))
left, right = two_branches(inputs, 8)
x = layers.Concatenate()([left, right])
first, *rest = [layers.Conv2D(n, 1) for n in (4, 8, 16)]
x = first(x)
for layer in rest:
    x = layer(x)
x = layers.Flatten()(x)
model = keras.Model(inputs, layers.Dense(h // 4)(x))
model.summary()
