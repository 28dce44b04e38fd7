# ruff: noqa  (tutorial code kept as people write it)
import keras
from keras import layers

STAGES = 3
BASE = 16

inputs = keras.Input(shape=(64, 64, 3), name="image")
x = inputs
for stage in range(1, STAGES + 1):
    filters = BASE * 2 ** (stage - 1)
    for j in range(2):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu",
                          name=f"block{stage}_conv{j + 1}")(x)
    x = layers.MaxPooling2D(name="block%d_pool" % stage)(x)
x = layers.GlobalMaxPooling2D(name="gmp")(x)
outputs = layers.Dense(7, name="logits_{}".format(7))(x)
model = keras.Model(inputs, outputs, name=f"net_{STAGES}_stages")
model.summary()
