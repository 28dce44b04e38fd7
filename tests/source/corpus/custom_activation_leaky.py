# ruff: noqa  (tutorial code kept as people write it)
from keras import layers, models, regularizers, initializers

reg = regularizers.l2(1e-4)
model = models.Sequential()
model.add(layers.Input(shape=(28, 28, 1)))
model.add(layers.Conv2D(32, 3, kernel_regularizer=reg, kernel_initializer=initializers.HeNormal()))
model.add(layers.LeakyReLU(negative_slope=0.1))
model.add(layers.Conv2D(32, 3, strides=2, kernel_regularizer=reg))
model.add(layers.PReLU())
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax", bias_regularizer=regularizers.l1(0.01)))
model.summary()
