// Placeholder so the target compiles; replaced by the stage's code.
