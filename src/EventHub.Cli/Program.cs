using EventHub.Cli;

return await CliApp.RunAsync(args);
