// TODO(#5): the spiro-deploy command line replaces this placeholder.
Console.Error.WriteLine("spiro-deploy: not built yet");
return 2;
