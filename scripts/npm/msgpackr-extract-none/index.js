// msgpackr requires this module inside try/catch; throwing makes it use its pure JavaScript string decoding.
throw new Error('msgpackr-extract is deliberately not installed; msgpackr uses pure JavaScript');
