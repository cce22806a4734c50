"""Model providers behind one small interface (`base.Provider`); `registry()` names the ones this deployment offers."""
