# ruff: noqa  (tutorial code kept as people write it)
import keras
from keras import layers

USE_BATCHNORM = True
USE_DROPOUT = False
ARCH = "wide"
width = 128 if ARCH == "wide" else 32

inputs = keras.Input((100,))
x = inputs
for i in range(3):
    x = layers.Dense(width // (2 ** i))(x)
    if USE_BATCHNORM:
        x = layers.BatchNormalization()(x)
    elif USE_DROPOUT:
        x = layers.Dropout(0.3)(x)
    x = layers.Activation("relu")(x)
if not USE_DROPOUT and ARCH in ("wide", "deep"):
    x = layers.Dense(8)(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.summary()
