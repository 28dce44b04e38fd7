# ruff: noqa  (tutorial code kept as people write it)
# Vanilla GAN on MNIST with a combined model and a frozen discriminator
from keras.models import Sequential
from keras.layers import Dense, LeakyReLU, BatchNormalization, Input, Reshape, Flatten

latent_dim = 100
img_shape = (28, 28, 1)

generator = Sequential([
    Input(shape=(latent_dim,)),
    Dense(256), LeakyReLU(negative_slope=0.2), BatchNormalization(momentum=0.8),
    Dense(512), LeakyReLU(negative_slope=0.2), BatchNormalization(momentum=0.8),
    Dense(28 * 28 * 1, activation='tanh'),
    Reshape(img_shape),
], name="generator")

discriminator = Sequential([
    Input(shape=img_shape),
    Flatten(),
    Dense(512), LeakyReLU(negative_slope=0.2),
    Dense(256), LeakyReLU(negative_slope=0.2),
    Dense(1, activation='sigmoid'),
], name="discriminator")
discriminator.compile(loss='binary_crossentropy', optimizer='adam')

discriminator.trainable = False
gan = Sequential([generator, discriminator])
gan.compile(loss='binary_crossentropy', optimizer='adam')
generator.summary()
discriminator.summary()
gan.summary()
