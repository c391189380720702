@_exported import ZhaorenICU
