/* Uses a tfmc-built library through its generated header. */
#include "affine.h"

#include <stdio.h>

int main(void) {
  tfm_model *model;
  if (affine_create(NULL, &model) != TFM_OK) {
    fprintf(stderr, "%s\n", tfm_last_error());
    return 1;
  }
  static float x[2][128], y[2][128], rows[2][128];
  static long long ids[2] = {0, 1};
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 128; ++j)
      x[i][j] = 0.5f;
  const void *inputs[] = {x, ids};
  void *outputs[] = {y, rows};
  if (tfm_model_run(model, inputs, outputs) != TFM_OK) {
    fprintf(stderr, "%s\n", tfm_last_error());
    return 1;
  }
  printf("inputs %d, outputs %d, y[0] = %g\n", tfm_model_num_inputs(model),
         tfm_model_num_outputs(model), y[0][0]);
  tfm_model_destroy(model);
  return 0;
}
