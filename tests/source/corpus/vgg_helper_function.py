# ruff: noqa  (tutorial code kept as people write it)
from tensorflow import keras
from tensorflow.keras import layers


def conv_block(x, filters, n_convs=2, pool=True):
    for i in range(n_convs):
        x = layers.Conv2D(filters, (3, 3), padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
    if pool:
        x = layers.MaxPooling2D((2, 2))(x)
    return x


def build_model(input_shape=(32, 32, 3), num_classes=10):
    inputs = keras.Input(shape=input_shape)
    x = conv_block(inputs, 32)
    x = conv_block(x, 64)
    x = conv_block(x, 128, n_convs=3, pool=False)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


model = build_model()
model.summary()
