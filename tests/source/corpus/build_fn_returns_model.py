# ruff: noqa  (tutorial code kept as people write it)
"""A build_model() function with arguments, called for two configurations."""
from tensorflow import keras
from tensorflow.keras import layers


def build_model(input_dim, hidden_units, num_classes, dropout=0.0, name=None):
    inputs = keras.Input(shape=(input_dim,))
    x = inputs
    for units in hidden_units:
        x = layers.Dense(units, activation="relu")(x)
        if dropout > 0:
            x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name=name)


small = build_model(20, [32], 2, name="small")
large = build_model(20, [128, 64, 32], 5, dropout=0.3)
small.summary()
large.summary()
