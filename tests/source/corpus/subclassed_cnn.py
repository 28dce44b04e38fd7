# ruff: noqa  (tutorial code kept as people write it)
import tensorflow as tf
from tensorflow.keras import layers


class SmallCNN(tf.keras.Model):
    def __init__(self, num_classes=10):
        super(SmallCNN, self).__init__(name="small_cnn")
        self.conv1 = layers.Conv2D(32, 3, activation="relu")
        self.pool1 = layers.MaxPooling2D()
        self.conv2 = layers.Conv2D(64, 3, activation="relu")
        self.pool2 = layers.MaxPooling2D()
        self.flatten = layers.Flatten()
        self.fc1 = layers.Dense(128, activation="relu")
        self.fc2 = layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        x = self.pool1(self.conv1(x))
        x = self.pool2(self.conv2(x))
        x = self.flatten(x)
        x = self.fc1(x)
        return self.fc2(x)


model = SmallCNN()
model(tf.keras.Input(shape=(28, 28, 1)))
model.summary()
