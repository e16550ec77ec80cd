// nock intercepts every request of the process from the moment it is imported, which makes
// real sockets on 127.0.0.1 an order of magnitude slower. Tests switch it on where they use
// it (`nock.activate()` ... `nock.restore()`); everywhere else requests go straight out.
import nock from 'nock';

nock.restore();
