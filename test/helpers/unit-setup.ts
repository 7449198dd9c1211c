// Unit tests never reach the emulator or AWS: clients are mocked (aws-sdk-client-mock)
// or pointed at a local server the test starts. Dummy credentials and a region keep
// the SDK from looking for real ones; the default endpoint is a closed loopback port,
// so a call that escapes its mock fails at once instead of going to AWS.
process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
process.env.AWS_ACCESS_KEY_ID = 'AKIAROLLCALLUNIT0001';
process.env.AWS_SECRET_ACCESS_KEY = 'rollcall-unit-dummy-secret';
process.env.AWS_REGION = 'us-east-1';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
