# ruff: noqa  (tutorial code kept as people write it)
"""A subclassed keras.Model, called on keras.Input to build it."""
import keras
from keras import layers


class MLP(keras.Model):
    def __init__(self, hidden=(256, 128), num_classes=10, **kwargs):
        super().__init__(**kwargs)
        self.hidden_layers = [layers.Dense(units, activation="relu") for units in hidden]
        self.dropout = layers.Dropout(0.2)
        self.classifier = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = inputs
        for layer in self.hidden_layers:
            x = layer(x)
        x = self.dropout(x, training=training)
        return self.classifier(x)


model = MLP()
model(keras.Input(shape=(784,)))
model.summary()
